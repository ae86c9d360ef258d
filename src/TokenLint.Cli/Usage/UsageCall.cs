using System;
using TokenLint.Runtime;

namespace TokenLint.Cli.Usage;

/// <summary>One billed model call as a usage log records it: when, which model, where, and its tokens by kind.</summary>
/// <param name="Timestamp">When the call ended (UTC).</param>
/// <param name="Model">The model id as logged.</param>
/// <param name="Project">The Claude Code project (its working folder) or the ledger's innermost agent; null when unknown.</param>
/// <param name="Session">The session id; null when the log has none.</param>
/// <param name="Tokens">Plain input, cache reads, cache writes by TTL and output, non-overlapping.</param>
/// <param name="RecordedCostUsd">The dollars the log itself recorded (a TokenLint ledger), used when the catalog has no price.</param>
internal readonly record struct UsageCall(
    DateTimeOffset Timestamp,
    string Model,
    string? Project,
    string? Session,
    TokenCounts Tokens,
    decimal? RecordedCostUsd);

/// <summary>A line of a usage log that was skipped, and why; reported with its file and line, never fatal.</summary>
internal sealed record UsageProblem(string Path, long Line, string Message)
{
    public override string ToString() => $"{Path}({Line}): {Message}";
}
