using Microsoft.Extensions.AI;

namespace TokenLint.Runtime;

/// <summary>
/// Turns a provider adapter's <see cref="UsageDetails"/> into <see cref="TokenCounts"/> whose kinds do not overlap.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.AI's convention, which the OpenAI and Anthropic adapters follow: <c>InputTokenCount</c> is the
/// whole prompt, <c>CachedInputTokenCount</c> (cache reads) is inside it, and so is the cache write the Anthropic
/// adapter reports in <c>AdditionalCounts["CacheCreationInputTokens"]</c>. Anthropic's own wire format is the other
/// way round (<c>input_tokens</c> excludes both); its adapter adds them back, which the recorded-response tests pin.
/// </remarks>
public static class UsageNormalizer
{
    /// <summary>
    /// The <see cref="UsageDetails.AdditionalCounts"/> key for cache-write tokens: the one the Anthropic SDK's adapter
    /// uses. Microsoft.Extensions.AI has no cache-write field yet; a custom adapter should report writes under this key,
    /// counted inside <c>InputTokenCount</c>.
    /// </summary>
    public const string CacheWriteTokensKey = "CacheCreationInputTokens";

    /// <summary>Splits <paramref name="usage"/> into kinds; cache writes go to the 1-hour kind when <paramref name="writeTtl"/> says so.</summary>
    public static TokenCounts Normalize(UsageDetails usage, CacheWriteTtl writeTtl = CacheWriteTtl.FiveMinutes)
    {
        long input = NonNegative(usage.InputTokenCount);
        long read = NonNegative(usage.CachedInputTokenCount);
        long write = 0;
        if (usage.AdditionalCounts is { } additional && additional.TryGetValue(CacheWriteTokensKey, out long reported))
        {
            write = reported > 0 ? reported : 0;
        }

        // An adapter that follows Anthropic's wire format instead (input excluding cache reads and writes) shows
        // itself by reporting less input than cache tokens: its input is then all plain.
        long plain = input >= read + write ? input - read - write : input;

        long output = NonNegative(usage.OutputTokenCount);
        long reasoning = NonNegative(usage.ReasoningTokenCount);
        return new TokenCounts
        {
            InputTokens = plain,
            CacheReadTokens = read,
            CacheWrite5mTokens = writeTtl == CacheWriteTtl.OneHour ? 0 : write,
            CacheWrite1hTokens = writeTtl == CacheWriteTtl.OneHour ? write : 0,
            OutputTokens = output,
            ReasoningTokens = reasoning,
        };
    }

    private static long NonNegative(long? value) => value is > 0 ? value.Value : 0;
}

/// <summary>How long a request asked the provider to keep what it writes to the prompt cache.</summary>
public enum CacheWriteTtl
{
    /// <summary>The default TTL, and the assumption when the request does not say.</summary>
    FiveMinutes = 0,

    /// <summary>Anthropic's 1-hour TTL (<c>cache_control: {"type": "ephemeral", "ttl": "1h"}</c>), billed at a higher write price.</summary>
    OneHour,
}
