using System;
using TokenLint.Runtime.Diagnostics;

namespace TokenLint.Runtime.Cascade;

/// <summary>Settings of <see cref="CascadeChatClient"/>.</summary>
public sealed class CascadeOptions
{
    /// <summary>
    /// What an answer must pass to be returned; every tier but the last is checked. The default,
    /// <see cref="AcceptanceCheck.FinishedNormally"/>, only escalates cut-off, empty and refused answers.
    /// </summary>
    public AcceptanceCheck Acceptance { get; set; } = AcceptanceCheck.FinishedNormally();

    /// <summary>Ask the next tier when a tier fails with a transient provider error (on by default).</summary>
    public bool EscalateOnTransientErrors { get; set; } = true;

    /// <summary>
    /// Which errors count as transient; <see cref="CascadeTransientErrors.IsTransient"/> unless set. The caller's
    /// cancellation and TokenLint's own refusals (<see cref="TokenGuardException"/>) never escalate, whatever this says.
    /// </summary>
    public Func<Exception, bool> IsTransientError { get; set; } = CascadeTransientErrors.IsTransient;

    /// <summary>
    /// Show the next tier the rejected answer and why it was rejected (off by default: the next tier then reads more
    /// input tokens, and a wrong answer can anchor it).
    /// </summary>
    public bool IncludeRejectedAnswer { get; set; }

    /// <summary>
    /// Stream the last tier's answer to the caller as it arrives instead of buffering it (off by default). Earlier
    /// tiers are always buffered: their answers are checked before anything reaches the caller.
    /// </summary>
    public bool StreamLastTierDirectly { get; set; }

    /// <summary>
    /// Meter every attempt with these options (each under its own model) when a tier's pipeline has no
    /// <see cref="TokenMeteringChatClient"/> of its own. Null: tiers meter themselves, or a metering client above the
    /// cascade meters the attempts it finds on the response.
    /// </summary>
    public TokenMeteringOptions? Metering { get; set; }

    /// <summary>The instruments to publish attempts, accepts and escalations to; null picks the application's <c>IMeterFactory</c> when built with services, else a shared meter.</summary>
    public TokenLintMetrics? Metrics { get; set; }

    /// <summary>Publish cascade metrics (on by default).</summary>
    public bool EmitMetrics { get; set; } = true;
}
