using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime;

/// <summary>
/// Reads from a request which TTL its cache writes were asked for. The Anthropic SDK's adapter takes cache control
/// from <c>content.WithCacheControl(...)</c>, stored in the content's <see cref="AIContent.AdditionalProperties"/>
/// under <see cref="AnthropicCacheControlKey"/> as the SDK's <c>CacheControlEphemeral</c>, whose text is its JSON
/// (<c>"ttl": "1h"</c>). TokenLint does not reference the Anthropic SDK, so it reads that text.
/// </summary>
internal static class CacheTtlDetector
{
    public const string AnthropicCacheControlKey = "anthropic:cache_control";

    /// <summary>
    /// <see cref="CacheWriteTtl.OneHour"/> when every breakpoint of the request asks for one hour. With a mix (the
    /// usual layout: a 1-hour system prompt and a 5-minute breakpoint on the latest turn) the 1-hour prefix is
    /// usually already cached and what is written is the 5-minute tail, so the 5-minute price applies.
    /// </summary>
    public static CacheWriteTtl Detect(IEnumerable<ChatMessage> messages, CacheWriteTtl fallback)
    {
        bool anyOneHour = false;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content.AdditionalProperties is not { Count: > 0 } properties
                    || !properties.TryGetValue(AnthropicCacheControlKey, out object? cacheControl)
                    || cacheControl is null)
                {
                    continue;
                }

                if (!IsOneHour(cacheControl))
                {
                    return CacheWriteTtl.FiveMinutes;
                }

                anyOneHour = true;
            }
        }

        return anyOneHour ? CacheWriteTtl.OneHour : fallback;
    }

    internal static bool IsOneHour(object cacheControl)
    {
        string? text = cacheControl.ToString();
        return text is not null && text.Contains("\"1h\"", StringComparison.Ordinal);
    }
}
