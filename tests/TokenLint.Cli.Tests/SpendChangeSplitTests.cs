using System;
using System.Linq;
using TokenLint.Cli.Report;
using TokenLint.Cli.Usage;
using TokenLint.Runtime;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Cli.Tests;

/// <summary>
/// Each kind of waste moved on its own: the whole change lands on that category and nowhere else; the parts always add
/// up to the change.
/// </summary>
public sealed class SpendChangeSplitTests
{
    private static readonly DateOnly Before = new(2026, 11, 10);
    private static readonly DateOnly After = new(2026, 11, 17);

    private static readonly ModelPriceCatalog Prices = ModelPriceCatalog.Create(new[]
    {
        new ModelPrice { Id = "small", Input = 1m, Output = 4m, CacheRead = 0.1m, CacheWrite5m = 1.25m },
        new ModelPrice { Id = "large", Input = 3m, Output = 12m, CacheRead = 0.3m, CacheWrite5m = 3.75m, Tier = "premium" },
    });

    private static TokenCounts Tokens(long input, long output, long read = 0) => new() { InputTokens = input, CacheReadTokens = read, OutputTokens = output };

    private static SpendChangeSplit Split(Action<Action<DateOnly, string, string, TokenCounts>> calls)
    {
        var collector = new UsageCollector(new CallPricer(Prices));
        int n = 0;
        calls((day, model, session, tokens) =>
            collector.Add(new UsageCall(day.ToDateTime(new TimeOnly(12, 0)).ToUniversalTimeOffset(n++), model, "p", session, tokens, null), null));
        var current = PeriodSummary.Build(collector, new ReportPeriod(After, After.AddDays(6)));
        var previous = PeriodSummary.Build(collector, current.Period.Previous);
        var split = SpendChangeSplit.Of(previous, current);
        Assert.Equal((double)(current.Totals.CostUsd - previous.Totals.CostUsd), split.TotalUsd, 9);
        return split;
    }

    [Fact]
    public void TwiceTheCalls_IsVolume()
    {
        var split = Split(add =>
        {
            add(Before, "small", "a", Tokens(1_000, 100));
            add(After, "small", "b", Tokens(1_000, 100));
            add(After, "small", "c", Tokens(1_000, 100));
        });
        Assert.Equal(1_400e-6, split.VolumeUsd, 9);
        Assert.Equal(0, split.ModelMixUsd + split.ContextGrowthUsd + split.CachingUsd + split.LoopsUsd, 9);
    }

    [Fact]
    public void ThePremiumModel_IsModelMix()
    {
        var split = Split(add =>
        {
            add(Before, "small", "a", Tokens(1_000, 100));
            add(After, "large", "b", Tokens(1_000, 100));
        });
        Assert.Equal(2_800e-6, split.ModelMixUsd, 9);
        Assert.Equal(0, split.VolumeUsd + split.ContextGrowthUsd + split.CachingUsd + split.LoopsUsd, 9);
    }

    [Fact]
    public void TwiceTheTokensPerCall_IsContextGrowth()
    {
        var split = Split(add =>
        {
            add(Before, "small", "a", Tokens(1_000, 100));
            add(After, "small", "b", Tokens(2_000, 200));
        });
        Assert.Equal(1_400e-6, split.ContextGrowthUsd, 9);
        Assert.Equal(0, split.VolumeUsd + split.ModelMixUsd + split.CachingUsd + split.LoopsUsd, 9);
    }

    [Fact]
    public void LosingTheCacheHits_IsCaching()
    {
        var split = Split(add =>
        {
            add(Before, "small", "a", Tokens(100, 100, read: 900));
            add(After, "small", "b", Tokens(1_000, 100));
        });

        // 100 + 90 + 400 = 590 before, 1,400 after (per million): the tokens and the list price did not move.
        Assert.Equal(810e-6, split.CachingUsd, 9);
        Assert.Equal(0, split.VolumeUsd + split.ModelMixUsd + split.ContextGrowthUsd + split.LoopsUsd, 9);
    }

    [Fact]
    public void ALoopSession_IsLoops_NotVolume()
    {
        var split = Split(add =>
        {
            add(Before, "small", "a", Tokens(1_000, 100));
            add(After, "small", "b", Tokens(1_000, 100));
            for (int i = 0; i < 21; i++)
            {
                add(After, "small", "loop", Tokens(1_000, 100));
            }
        });

        // One regular call in each period: all of the 21 extra calls' $0.0294 is the loop session's.
        Assert.Equal(0, split.VolumeUsd, 9);
        Assert.Equal(21 * 1_400e-6, split.LoopsUsd, 9);
    }

    [Fact]
    public void NothingBefore_PutsTheWholeChangeOnVolume()
    {
        var split = Split(add => add(After, "small", "b", Tokens(1_000, 100)));
        Assert.Equal(1_400e-6, split.VolumeUsd, 9);
        Assert.Equal(0, split.ModelMixUsd + split.ContextGrowthUsd + split.CachingUsd + split.LoopsUsd, 9);
    }
}

internal static class DateTimeTestExtensions
{
    public static DateTimeOffset ToUniversalTimeOffset(this DateTime time, int seconds) =>
        new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).AddSeconds(seconds);
}
