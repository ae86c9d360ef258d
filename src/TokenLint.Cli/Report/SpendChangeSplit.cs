using System;

namespace TokenLint.Cli.Report;

/// <summary>
/// Splits the change in spend between two periods into five parts that add up to it exactly. A period's spend of
/// priced calls is the product of five factors:
/// <code>
/// spend = regular calls x (all calls / regular calls) x tokens per call x list price per token x (spend / list spend)
///         volume          loops                        context growth    model mix               caching
/// </code>
/// where regular calls are those outside loop-suspect sessions, tokens count input of every kind plus output, the list
/// price per token is what the tokens cost with no prompt cache (so it moves only with the models used), and the last
/// factor is what the cache saved or cost against that. Each factor's part of the change is
/// <c>L(S1, S0) x ln(X1 / X0)</c> with <c>L(a, b) = (a - b) / (ln a - ln b)</c> (<c>L(a, a) = a</c>): the logarithmic
/// mean Divisia index, whose parts sum to <c>S1 - S0</c> with no residual. When either period has no priced spend, or a
/// factor is zero, the whole change is put on volume.
/// </summary>
internal readonly record struct SpendChangeSplit(double VolumeUsd, double LoopsUsd, double ContextGrowthUsd, double ModelMixUsd, double CachingUsd)
{
    public double TotalUsd => VolumeUsd + LoopsUsd + ContextGrowthUsd + ModelMixUsd + CachingUsd;

    public static SpendChangeSplit Of(PeriodSummary previous, PeriodSummary current)
    {
        var before = Factors.Of(previous);
        var after = Factors.Of(current);
        double change = after.Spend - before.Spend;
        if (!before.Usable || !after.Usable)
        {
            return new SpendChangeSplit(change, 0, 0, 0, 0);
        }

        double weight = after.Spend == before.Spend ? after.Spend : change / (Math.Log(after.Spend) - Math.Log(before.Spend));
        double Part(double x0, double x1) => weight * Math.Log(x1 / x0);

        return new SpendChangeSplit(
            Part(before.RegularCalls, after.RegularCalls),
            Part(before.LoopFactor, after.LoopFactor),
            Part(before.TokensPerCall, after.TokensPerCall),
            Part(before.ListPricePerToken, after.ListPricePerToken),
            Part(before.CacheFactor, after.CacheFactor));
    }

    /// <summary>The five factors of one period's spend.</summary>
    internal readonly record struct Factors(double Spend, double RegularCalls, double LoopFactor, double TokensPerCall, double ListPricePerToken, double CacheFactor)
    {
        public bool Usable => Spend > 0 && RegularCalls > 0 && TokensPerCall > 0 && ListPricePerToken > 0 && CacheFactor > 0;

        public static Factors Of(PeriodSummary period)
        {
            var totals = period.Totals;
            double calls = totals.PricedCalls;
            double regular = calls - period.LoopPricedCalls;
            double tokens = totals.PricedTokens.TotalTokens;
            double spend = (double)totals.CostUsd;
            double list = (double)totals.ListCostUsd;
            return new Factors(
                spend,
                regular,
                regular > 0 ? calls / regular : 0,
                calls > 0 ? tokens / calls : 0,
                tokens > 0 ? list / tokens : 0,
                list > 0 ? spend / list : 0);
        }
    }
}
