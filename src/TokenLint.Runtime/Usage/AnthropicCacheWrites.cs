using System;
using System.Text.Json;

namespace TokenLint.Runtime;

/// <summary>
/// The 5-minute/1-hour split of a call's cache writes as the Anthropic API reported it
/// (<c>usage.cache_creation.ephemeral_5m_input_tokens</c> and <c>ephemeral_1h_input_tokens</c>). The Anthropic
/// adapter drops the split from <see cref="Microsoft.Extensions.AI.UsageDetails"/> but keeps the SDK's
/// <c>Message</c> as the response's raw representation, whose text is the message's JSON.
/// </summary>
internal static class AnthropicCacheWrites
{
    public static bool TryReadSplit(object? rawResponse, out long fiveMinute, out long oneHour)
    {
        fiveMinute = oneHour = 0;
        if (rawResponse is null || rawResponse.GetType().FullName?.StartsWith("Anthropic.", StringComparison.Ordinal) != true)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(rawResponse.ToString() ?? "");
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
                && usage.TryGetProperty("cache_creation", out var creation) && creation.ValueKind == JsonValueKind.Object
                && creation.TryGetProperty("ephemeral_5m_input_tokens", out var five) && five.TryGetInt64(out fiveMinute)
                && creation.TryGetProperty("ephemeral_1h_input_tokens", out var hour) && hour.TryGetInt64(out oneHour))
            {
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON after all (another SDK version): fall back to the request's cache controls.
        }

        fiveMinute = oneHour = 0;
        return false;
    }
}
