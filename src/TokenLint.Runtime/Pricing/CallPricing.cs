using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Pricing;

/// <summary>
/// What one finished call cost, the one way metering records it and a budget settles it: its usage split into kinds
/// (cache writes by TTL from the provider's response, else the request's cache controls, else the configured default)
/// and priced from the catalog. Null dollars when the model has no price.
/// </summary>
internal static class CallPricing
{
    public static (TokenCounts Tokens, decimal? Dollars) Price(
        ModelPriceCatalog prices, string? model, UsageDetails usage, IEnumerable<ChatMessage> messages, object? rawResponse, CacheWriteTtl defaultCacheWriteTtl)
    {
        var tokens = CallUsage.Measure(usage, messages, rawResponse, defaultCacheWriteTtl);
        return (tokens, prices.TryGetPrice(model, out var price) ? price.Cost(tokens) : null);
    }
}
