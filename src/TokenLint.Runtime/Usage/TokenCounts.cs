using System;

namespace TokenLint.Runtime;

/// <summary>
/// One call's tokens split into kinds that do not overlap, whatever the provider reported: every input token is in
/// exactly one of <see cref="InputTokens"/>, <see cref="CacheReadTokens"/>, <see cref="CacheWrite5mTokens"/> and
/// <see cref="CacheWrite1hTokens"/>, so each kind is priced once and the kinds add up to the prompt's size.
/// </summary>
public readonly record struct TokenCounts
{
    /// <summary>Input tokens billed at the plain input price (neither cache reads nor cache writes).</summary>
    public long InputTokens { get; init; }

    public long CacheReadTokens { get; init; }

    /// <summary>Cache writes priced at the 5-minute TTL rate (the default, and all writes whose TTL is not known).</summary>
    public long CacheWrite5mTokens { get; init; }

    /// <summary>Cache writes the request asked to keep for one hour.</summary>
    public long CacheWrite1hTokens { get; init; }

    /// <summary>Output tokens, reasoning included.</summary>
    public long OutputTokens { get; init; }

    /// <summary>The part of <see cref="OutputTokens"/> spent on reasoning, where the provider reports it.</summary>
    public long ReasoningTokens { get; init; }

    public long CacheWriteTokens => CacheWrite5mTokens + CacheWrite1hTokens;

    /// <summary>The whole prompt: plain, cached and cache-written input.</summary>
    public long TotalInputTokens => InputTokens + CacheReadTokens + CacheWrite5mTokens + CacheWrite1hTokens;

    public long TotalTokens => TotalInputTokens + OutputTokens;

    public static TokenCounts operator +(TokenCounts a, TokenCounts b) => new()
    {
        InputTokens = a.InputTokens + b.InputTokens,
        CacheReadTokens = a.CacheReadTokens + b.CacheReadTokens,
        CacheWrite5mTokens = a.CacheWrite5mTokens + b.CacheWrite5mTokens,
        CacheWrite1hTokens = a.CacheWrite1hTokens + b.CacheWrite1hTokens,
        OutputTokens = a.OutputTokens + b.OutputTokens,
        ReasoningTokens = a.ReasoningTokens + b.ReasoningTokens,
    };

    public override string ToString() => FormattableString.Invariant(
        $"in {InputTokens}, cache read {CacheReadTokens}, cache write {CacheWrite5mTokens} (5m) + {CacheWrite1hTokens} (1h), out {OutputTokens}");
}
