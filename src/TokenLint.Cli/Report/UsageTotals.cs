using System;
using TokenLint.Runtime;

namespace TokenLint.Cli.Report;

/// <summary>Calls, tokens and dollars of a group of calls (a day, a model, a session, a period), added up as they are read.</summary>
internal sealed class UsageTotals
{
    public long Calls { get; private set; }

    /// <summary>Calls whose model the catalog has no price for: counted, but in no dollar figure.</summary>
    public long UnpricedCalls { get; private set; }

    public TokenCounts Tokens { get; private set; }

    /// <summary>The tokens of the priced calls only, so that dollars and tokens describe the same calls.</summary>
    public TokenCounts PricedTokens { get; private set; }

    public decimal CostUsd { get; private set; }

    /// <summary>What the priced calls would have cost with no prompt cache: every input token at the plain input price.</summary>
    public decimal ListCostUsd { get; private set; }

    public long PremiumCalls { get; private set; }

    public decimal PremiumCostUsd { get; private set; }

    /// <summary>Premium calls with a short prompt and a short answer: the requests a cheaper model answers as well.</summary>
    public long TrivialPremiumCalls { get; private set; }

    public decimal TrivialPremiumCostUsd { get; private set; }

    /// <summary>What <see cref="TrivialPremiumCalls"/> would have cost on each model's cheaper sibling.</summary>
    public decimal TrivialPremiumSiblingCostUsd { get; private set; }

    public long PricedCalls => Calls - UnpricedCalls;

    /// <summary>Cache reads as a share of every input token (plain, read and written); 0 without input.</summary>
    public double CacheHitRate => Ratio(Tokens.CacheReadTokens, Tokens.TotalInputTokens);

    /// <summary>Input tokens (plain, read and written) per call.</summary>
    public double InputTokensPerCall => Ratio(Tokens.TotalInputTokens, Calls);

    public void Add(in PricedCall call)
    {
        Calls++;
        Tokens += call.Call.Tokens;
        if (call.CostUsd is not decimal cost)
        {
            UnpricedCalls++;
            return;
        }

        PricedTokens += call.Call.Tokens;
        CostUsd += cost;
        ListCostUsd += call.ListCostUsd;
        if (call.Premium)
        {
            PremiumCalls++;
            PremiumCostUsd += cost;
            if (call.TrivialSiblingCostUsd is decimal sibling)
            {
                TrivialPremiumCalls++;
                TrivialPremiumCostUsd += cost;
                TrivialPremiumSiblingCostUsd += sibling;
            }
        }
    }

    public void Add(UsageTotals other)
    {
        Calls += other.Calls;
        UnpricedCalls += other.UnpricedCalls;
        Tokens += other.Tokens;
        PricedTokens += other.PricedTokens;
        CostUsd += other.CostUsd;
        ListCostUsd += other.ListCostUsd;
        PremiumCalls += other.PremiumCalls;
        PremiumCostUsd += other.PremiumCostUsd;
        TrivialPremiumCalls += other.TrivialPremiumCalls;
        TrivialPremiumCostUsd += other.TrivialPremiumCostUsd;
        TrivialPremiumSiblingCostUsd += other.TrivialPremiumSiblingCostUsd;
    }

    internal static double Ratio(double part, double whole) => whole == 0 ? 0 : part / whole;
}
