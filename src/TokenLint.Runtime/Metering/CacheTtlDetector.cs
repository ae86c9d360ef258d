using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime;

/// <summary>
/// Reads from a request whether it asked for 1-hour cache writes. The Anthropic SDK's adapter takes cache control
/// from <c>content.WithCacheControl(...)</c>, stored in the content's <see cref="AIContent.AdditionalProperties"/> as
/// its <c>CacheControlEphemeral</c> type; TokenLint does not reference the Anthropic SDK, so it recognises the value by
/// type name and its JSON text (<c>"ttl":"1h"</c>).
/// </summary>
internal static class CacheTtlDetector
{
    public static CacheWriteTtl Detect(IEnumerable<ChatMessage> messages, CacheWriteTtl fallback)
    {
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content.AdditionalProperties is not { Count: > 0 } properties)
                {
                    continue;
                }

                foreach (var property in properties)
                {
                    // A request with any 1-hour breakpoint is priced at the 1-hour rate: longer TTLs come first in the
                    // prompt, so most of what is written is usually theirs, and a cost cap should err high.
                    if (IsOneHourCacheControl(property.Value))
                    {
                        return CacheWriteTtl.OneHour;
                    }
                }
            }
        }

        return fallback;
    }

    internal static bool IsOneHourCacheControl(object? value)
    {
        if (value is null || !value.GetType().Name.Contains("CacheControl", StringComparison.Ordinal))
        {
            return false;
        }

        string? text = value.ToString();
        return text is not null && (text.Contains("\"1h\"", StringComparison.Ordinal) || text.Contains("Ttl1h", StringComparison.Ordinal));
    }
}
