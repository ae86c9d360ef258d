using System;
using System.Collections.Generic;

namespace TokenLint.Runtime;

/// <summary>
/// One metered model call: counts, ids and hashes, never prompt or response text.
/// </summary>
public sealed record TokenUsageRecord
{
    /// <summary>
    /// This record's own id, set by metering for every call (a time-ordered UUID version 7): unlike
    /// <see cref="ResponseId"/>, which a provider may leave out, it is always there, so a store that receives the
    /// same record twice (a retried batch, a replayed spill file) keeps it once. Null on records read from ledgers
    /// written before ids existed, and on records built by hand without one.
    /// </summary>
    public Guid? RecordId { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The model that answered (the response's model id, else the request's, else the client's default).</summary>
    public string? Model { get; init; }

    public TokenCounts Tokens { get; init; }

    /// <summary>Dollars from the model catalog; null when the model has no price or the provider reported no usage.</summary>
    public decimal? CostUsd { get; init; }

    public bool Priced => CostUsd.HasValue;

    /// <summary>False when the provider returned no usage: the call is counted, its tokens are not known.</summary>
    public bool UsageReported { get; init; } = true;

    /// <summary>Agents from the outermost scope to the innermost; the call is attributed to each.</summary>
    public IReadOnlyList<string> Agents { get; init; } = Array.Empty<string>();

    public string? Session { get; init; }

    public string? Task { get; init; }

    /// <summary>The provider's response id, which lets a reader drop a record logged twice.</summary>
    public string? ResponseId { get; init; }

    public bool Streaming { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>The innermost agent, or null outside any agent scope.</summary>
    public string? Agent => Agents.Count == 0 ? null : Agents[Agents.Count - 1];
}

/// <summary>Where metered calls go: a ledger, a file, a queue. Called once per call, possibly from many threads at once.</summary>
public interface ITokenUsageSink
{
    void Record(TokenUsageRecord record);
}
