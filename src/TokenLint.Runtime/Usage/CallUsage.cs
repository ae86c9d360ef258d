using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime;

/// <summary>
/// One call's tokens by kind, as metering and budgets both count them, so the ledger and a budget's spend agree.
/// </summary>
internal static class CallUsage
{
    /// <summary>
    /// Normalises <paramref name="usage"/>, then splits cache writes by TTL: from the provider's own response where
    /// it says (Anthropic, non-streaming), else from the request's cache controls, else <paramref name="fallback"/>.
    /// </summary>
    public static TokenCounts Measure(UsageDetails usage, IEnumerable<ChatMessage> messages, object? rawResponse, CacheWriteTtl fallback)
    {
        var tokens = UsageNormalizer.Normalize(usage);
        long writes = tokens.CacheWriteTokens;
        if (writes == 0)
        {
            return tokens;
        }

        if (AnthropicCacheWrites.TryReadSplit(rawResponse, out long fiveMinute, out long oneHour) && fiveMinute + oneHour == writes)
        {
            return tokens with { CacheWrite5mTokens = fiveMinute, CacheWrite1hTokens = oneHour };
        }

        return CacheTtlDetector.Detect(messages, fallback) == CacheWriteTtl.OneHour
            ? tokens with { CacheWrite5mTokens = 0, CacheWrite1hTokens = writes }
            : tokens;
    }
}
