using System;
using System.Collections.Generic;
using TokenLint.Cli.Usage;
using TokenLint.Runtime;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Cli.Report;

/// <summary>A call with its dollars, priced from the model catalog the analyzers and the runtime share.</summary>
/// <param name="CostUsd">What the call cost; null when neither the catalog nor the log has a price.</param>
/// <param name="ListCostUsd">What it would have cost with every input token at the plain input price (no cache).</param>
/// <param name="Premium">The catalog ranks the model premium.</param>
/// <param name="TrivialSiblingCostUsd">For a trivial premium call: its cost on the catalog's cheaper sibling; else null.</param>
internal readonly record struct PricedCall(UsageCall Call, decimal? CostUsd, decimal ListCostUsd, bool Premium, decimal? TrivialSiblingCostUsd);

/// <summary>Prices calls, looking each model up once.</summary>
internal sealed class CallPricer
{
    /// <summary>A request this small that gets an answer this short is one a cheap model answers as well (TL1001's case).</summary>
    public const long TrivialMaxInputTokens = 2_000;

    /// <inheritdoc cref="TrivialMaxInputTokens"/>
    public const long TrivialMaxOutputTokens = 64;

    private readonly ModelPriceCatalog _catalog;
    private readonly Dictionary<string, (ModelPrice? Price, ModelPrice? Sibling)> _models = new(StringComparer.Ordinal);

    public CallPricer(ModelPriceCatalog catalog) => _catalog = catalog;

    public PricedCall Price(in UsageCall call)
    {
        var (price, sibling) = Lookup(call.Model);
        if (price is null)
        {
            return new PricedCall(call, call.RecordedCostUsd, call.RecordedCostUsd ?? 0m, Premium: false, null);
        }

        var tokens = call.Tokens;
        decimal cost = price.Cost(tokens);
        decimal list = price.Cost(new TokenCounts { InputTokens = tokens.TotalInputTokens, OutputTokens = tokens.OutputTokens });
        bool premium = string.Equals(price.Tier, "premium", StringComparison.OrdinalIgnoreCase);
        decimal? siblingCost = premium && sibling is not null && IsTrivial(tokens) ? sibling.Cost(tokens) : null;
        return new PricedCall(call, cost, list, premium, siblingCost);
    }

    public bool IsPriced(string model) => Lookup(model).Price is not null;

    private static bool IsTrivial(in TokenCounts tokens) =>
        tokens.TotalInputTokens <= TrivialMaxInputTokens && tokens.OutputTokens <= TrivialMaxOutputTokens;

    private (ModelPrice? Price, ModelPrice? Sibling) Lookup(string model)
    {
        if (!_models.TryGetValue(model, out var entry))
        {
            ModelPrice? price = _catalog.TryGetPrice(model, out var found) ? found : null;
            ModelPrice? sibling = price?.CheaperSibling is { } id && _catalog.TryGetPrice(id, out var cheaper) ? cheaper : null;
            entry = (price, sibling);
            _models[model] = entry;
        }

        return entry;
    }
}
