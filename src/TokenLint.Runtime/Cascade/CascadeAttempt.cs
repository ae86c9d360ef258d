using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>What a cascade did with one model call.</summary>
public enum CascadeAttemptOutcome
{
    /// <summary>The tier's answer passed the acceptance checks and was returned.</summary>
    Accepted,

    /// <summary>The last tier's answer, returned as is (the last tier is not checked).</summary>
    Returned,

    /// <summary>The checks rejected the answer; the next tier was asked.</summary>
    Rejected,

    /// <summary>The tier failed with a transient provider error; the next tier was asked.</summary>
    Failed,

    /// <summary>A call a check made to decide (a self-consistency sample, a judge's verdict).</summary>
    Check,
}

/// <summary>
/// One model call a cascade made for a request: the tier, the model that answered, its usage, and why its answer was
/// not returned. A response carries every attempt (see <see cref="CascadeResponseExtensions.GetCascadeAttempts"/>),
/// so the spend on rejected answers and on checks is visible, each under its own model.
/// </summary>
public sealed record CascadeAttempt
{
    /// <summary>0 for the cheapest tier.</summary>
    public int TierIndex { get; init; }

    public required string Tier { get; init; }

    /// <summary>The model that answered: the response's model id, else the request's, else the client's default.</summary>
    public string? Model { get; init; }

    /// <summary>The provider's usage for this call; null when it reported none (or the call failed).</summary>
    public UsageDetails? Usage { get; init; }

    public string? ResponseId { get; init; }

    public CascadeAttemptOutcome Outcome { get; init; }

    /// <summary>The name of the check that rejected the answer, or "error"; a bounded value, used as a metric tag.</summary>
    public string? RejectedBy { get; init; }

    /// <summary>Why the answer was rejected or the call failed, in words; null for an accepted answer.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// True when a <see cref="TokenMeteringChatClient"/> already recorded this call (one inside the tier's pipeline, or
    /// the cascade's own <see cref="CascadeOptions.Metering"/>); a metering client above the cascade then skips it.
    /// </summary>
    public bool Metered { get; init; }

    /// <summary>The reasons of every rejection, in order (empty when the first tier's answer was accepted).</summary>
    internal static IReadOnlyList<string> ReasonsOf(IReadOnlyList<CascadeAttempt> attempts)
    {
        var reasons = new List<string>();
        foreach (var attempt in attempts)
        {
            if (attempt.Reason is { } reason)
            {
                reasons.Add(attempt.Tier + ": " + reason);
            }
        }

        return reasons;
    }
}
