namespace TokenLint.Runtime.Pricing;

/// <summary>
/// What one model costs, in US dollars per million tokens, as the TokenLint model catalog records it. Prices are
/// stored per kind rather than as one cache multiplier because the multipliers differ by model.
/// </summary>
public sealed record ModelPrice
{
    /// <summary>The catalog id, e.g. <c>claude-sonnet-4-5</c> or <c>gpt-4.1</c>.</summary>
    public required string Id { get; init; }

    /// <summary><c>anthropic</c>, <c>openai</c>, <c>google</c>, or what an override file says.</summary>
    public string? Provider { get; init; }

    /// <summary>
    /// <c>premium</c>, <c>standard</c> or <c>economy</c>, as the catalog ranks the model within its provider; null when an
    /// override file does not say.
    /// </summary>
    public string? Tier { get; init; }

    /// <summary>The catalog's cheaper model of the same provider for simple requests (what TL1001's fix suggests).</summary>
    public string? CheaperSibling { get; init; }

    /// <summary>Input tokens that were neither read from nor written to the prompt cache.</summary>
    public required decimal Input { get; init; }

    public required decimal Output { get; init; }

    /// <summary>Cache writes with the 5-minute TTL; when absent, writes are billed as plain input (OpenAI before GPT-5.6).</summary>
    public decimal? CacheWrite5m { get; init; }

    /// <summary>Cache writes with the 1-hour TTL; when absent, the 5-minute price applies.</summary>
    public decimal? CacheWrite1h { get; init; }

    /// <summary>Input tokens read from the prompt cache; when absent, billed as plain input.</summary>
    public decimal? CacheRead { get; init; }

    /// <summary>Prompt size (all input tokens) above which the long-context prices apply to the whole call.</summary>
    public int? LongContextThreshold { get; init; }

    public decimal? LongContextInput { get; init; }

    public decimal? LongContextOutput { get; init; }

    /// <summary>The most output tokens one call can produce, where known: the budget's pre-flight bound.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>True where the provider's own documentation does not confirm the figures.</summary>
    public bool Unconfirmed { get; init; }

    /// <summary>The day the prices were last checked, <c>yyyy-MM-dd</c>.</summary>
    public string? Checked { get; init; }

    /// <summary>The dollar cost of one call's tokens.</summary>
    public decimal Cost(in TokenCounts tokens)
    {
        bool longContext = LongContextThreshold is int threshold && tokens.TotalInputTokens > threshold && LongContextInput is not null;

        // Above the threshold every input kind is billed at the long-context rate; cache prices keep their ratio to input.
        decimal scale = longContext && Input > 0 ? LongContextInput!.Value / Input : 1m;
        decimal input = longContext ? LongContextInput!.Value : Input;
        decimal output = longContext ? LongContextOutput ?? Output : Output;
        decimal read = (CacheRead ?? Input) * scale;
        decimal write5m = (CacheWrite5m ?? Input) * scale;
        decimal write1h = (CacheWrite1h ?? CacheWrite5m ?? Input) * scale;

        decimal perMillion =
            tokens.InputTokens * input +
            tokens.CacheReadTokens * read +
            tokens.CacheWrite5mTokens * write5m +
            tokens.CacheWrite1hTokens * write1h +
            tokens.OutputTokens * output;
        return perMillion / 1_000_000m;
    }
}
