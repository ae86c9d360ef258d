using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TokenLint.Cli.Report;

/// <summary>One of the five kinds of waste, with its share of the change in spend and what it says.</summary>
/// <param name="Key">A stable name for JSON: <c>modelMix</c>, <c>contextGrowth</c>, <c>loops</c>, <c>caching</c>, <c>volume</c>.</param>
/// <param name="Title">How a person reads it.</param>
/// <param name="ChangeUsd">This category's part of the change in spend (the parts add up to the whole change).</param>
/// <param name="Verdict">One sentence with the numbers behind it.</param>
/// <param name="Numbers">The figures the verdict rests on, this period and the one before, by name.</param>
/// <param name="AddressedBy">The TokenLint rules and runtime features that cut this kind of waste.</param>
internal sealed record DiagnosisCategory(
    string Key,
    string Title,
    double ChangeUsd,
    string Verdict,
    IReadOnlyList<(string Name, double Current, double Previous)> Numbers,
    IReadOnlyList<string> AddressedBy);

/// <summary>A day on which the prompt cache's hit rate fell, and by how much.</summary>
internal sealed record HitRateDrop(DateOnly Day, double Before, double After);

/// <summary>The answer to "my bill grew, where do I look?": the change in spend split into the five kinds of waste.</summary>
internal sealed class Diagnosis
{
    /// <summary>A day-over-day fall in hit rate of at least this many points (as a fraction) is worth naming.</summary>
    public const double HitRateDropWorthNaming = 0.10;

    private Diagnosis(double previousSpend, double currentSpend, IReadOnlyList<DiagnosisCategory> categories, string headline)
    {
        PreviousSpendUsd = previousSpend;
        CurrentSpendUsd = currentSpend;
        Categories = categories;
        Headline = headline;
    }

    public double PreviousSpendUsd { get; }

    public double CurrentSpendUsd { get; }

    public double ChangeUsd => CurrentSpendUsd - PreviousSpendUsd;

    /// <summary>In the order model mix, context growth, loops, caching, volume.</summary>
    public IReadOnlyList<DiagnosisCategory> Categories { get; }

    /// <summary>The category whose part of the change is largest (an increase before a decrease), or null when spend did not move.</summary>
    public DiagnosisCategory? LookFirst =>
        Categories.Where(c => c.ChangeUsd > 0).OrderByDescending(c => c.ChangeUsd).FirstOrDefault();

    public string Headline { get; }

    public static Diagnosis Of(PeriodSummary previous, PeriodSummary current)
    {
        var split = SpendChangeSplit.Of(previous, current);
        var categories = new[]
        {
            ModelMix(previous, current, split.ModelMixUsd),
            ContextGrowth(previous, current, split.ContextGrowthUsd),
            Loops(previous, current, split.LoopsUsd),
            Caching(previous, current, split.CachingUsd),
            Volume(previous, current, split.VolumeUsd),
        };
        double before = (double)previous.Totals.CostUsd;
        double after = (double)current.Totals.CostUsd;
        return new Diagnosis(before, after, categories, ComposeHeadline(before, after, categories));
    }

    private static string ComposeHeadline(double before, double after, IReadOnlyList<DiagnosisCategory> categories)
    {
        string change = before > 0
            ? $"Spend {(after >= before ? "rose" : "fell")} from {Usd(before)} to {Usd(after)} ({SignedPercent(after / before - 1)})"
            : $"Spend was {Usd(after)} (nothing priced in the period before to compare with)";
        var first = categories.Where(c => c.ChangeUsd > 0).OrderByDescending(c => c.ChangeUsd).FirstOrDefault();
        return first is null || before <= 0
            ? change + "."
            : $"{change}; look first at {first.Title.ToLowerInvariant()} ({SignedUsd(first.ChangeUsd)}).";
    }

    private static DiagnosisCategory ModelMix(PeriodSummary previous, PeriodSummary current, double change)
    {
        var now = current.Totals;
        var before = previous.Totals;
        double share = Share(now.PremiumCostUsd, now.CostUsd);
        double shareBefore = Share(before.PremiumCostUsd, before.CostUsd);
        double price = PerMillion(now.ListCostUsd, now.PricedTokens.TotalTokens);
        double priceBefore = PerMillion(before.ListCostUsd, before.PricedTokens.TotalTokens);
        string verdict = $"Premium models took {Percent(share)} of spend (was {Percent(shareBefore)}); the list price of a million tokens "
            + $"{Moved(priceBefore, price, Usd)}.";
        if (now.TrivialPremiumCalls > 0)
        {
            verdict += $" {Count(now.TrivialPremiumCalls)} premium calls had a prompt of at most {Count(CallPricer.TrivialMaxInputTokens)} tokens and an answer of at most "
                + $"{CallPricer.TrivialMaxOutputTokens}: {Usd((double)now.TrivialPremiumCostUsd)}, which the cheaper sibling would have done for {Usd((double)now.TrivialPremiumSiblingCostUsd)}.";
        }

        return new DiagnosisCategory("modelMix", "Model mix", change, verdict,
            new[]
            {
                ("premiumSpendShare", share, shareBefore),
                ("listPricePerMillionTokensUsd", price, priceBefore),
                ("trivialPremiumCalls", (double)now.TrivialPremiumCalls, (double)before.TrivialPremiumCalls),
                ("trivialPremiumCostUsd", (double)now.TrivialPremiumCostUsd, (double)before.TrivialPremiumCostUsd),
                ("trivialPremiumSiblingCostUsd", (double)now.TrivialPremiumSiblingCostUsd, (double)before.TrivialPremiumSiblingCostUsd),
            },
            new[] { "TL1001", "TL1002", "UseCascade" });
    }

    private static DiagnosisCategory ContextGrowth(PeriodSummary previous, PeriodSummary current, double change)
    {
        double perCall = current.Totals.InputTokensPerCall;
        double perCallBefore = previous.Totals.InputTokensPerCall;
        var growing = current.GrowingSessions;
        double growingShare = Share(growing.Sum(s => s.Totals.CostUsd), current.Totals.CostUsd);
        string verdict = $"Input per call {Moved(perCallBefore, perCall, v => Count((long)Math.Round(v)) + " tokens")}; "
            + $"{Count(growing.Count)} of {Count(current.Sessions.Count)} sessions resent a longer prompt on nearly every turn ({Percent(growingShare)} of spend).";
        return new DiagnosisCategory("contextGrowth", "Context growth", change, verdict,
            new[]
            {
                ("inputTokensPerCall", perCall, perCallBefore),
                ("growingSessions", (double)growing.Count, (double)previous.GrowingSessions.Count),
                ("growingSessionSpendShare", growingShare, Share(previous.GrowingSessions.Sum(s => s.Totals.CostUsd), previous.Totals.CostUsd)),
            },
            new[] { "TL4001", "TL4003", "TL4004", "UseTokenBudget" });
    }

    private static DiagnosisCategory Loops(PeriodSummary previous, PeriodSummary current, double change)
    {
        double top = current.TopOnePercentSessionShare;
        double topBefore = previous.TopOnePercentSessionShare;
        var loops = current.LoopSessions;
        double loopCost = (double)loops.Sum(s => s.Totals.CostUsd);
        string verdict = $"The costliest 1% of sessions took {Percent(top)} of spend (was {Percent(topBefore)}); "
            + $"{Count(loops.Count)} sessions made more than {Count(current.LoopCallThreshold)} calls "
            + $"({Count(loops.Sum(s => s.Totals.Calls))} calls, {Usd(loopCost)}).";
        return new DiagnosisCategory("loops", "Loops", change, verdict,
            new[]
            {
                ("topOnePercentSessionSpendShare", top, topBefore),
                ("loopSessions", (double)loops.Count, (double)previous.LoopSessions.Count),
                ("loopSessionCalls", (double)loops.Sum(s => s.Totals.Calls), (double)previous.LoopSessions.Sum(s => s.Totals.Calls)),
                ("loopSessionCostUsd", loopCost, (double)previous.LoopSessions.Sum(s => s.Totals.CostUsd)),
                ("loopCallThreshold", current.LoopCallThreshold, previous.LoopCallThreshold),
            },
            new[] { "TL3001", "TL3002", "TL3003", "UseLoopGuard", "UseTokenBudget" });
    }

    private static DiagnosisCategory Caching(PeriodSummary previous, PeriodSummary current, double change)
    {
        double hit = current.Totals.CacheHitRate;
        double hitBefore = previous.Totals.CacheHitRate;
        var tokens = current.Totals.Tokens;
        double writesPerRead = UsageTotals.Ratio(tokens.CacheWriteTokens, tokens.CacheReadTokens);
        double writesPerReadBefore = UsageTotals.Ratio(previous.Totals.Tokens.CacheWriteTokens, previous.Totals.Tokens.CacheReadTokens);
        var unread = current.WritesNeverRead;
        long unreadTokens = unread.Sum(s => s.Totals.Tokens.CacheWriteTokens);
        string verdict = $"Cache hit rate {Moved(hitBefore, hit, Percent)} (reads / all input); "
            + $"{writesPerRead.ToString("0.00", CultureInfo.InvariantCulture)} tokens written per token read; "
            + $"{Count(unread.Count)} sessions wrote {Count(unreadTokens)} tokens to the cache and never read them.";
        if (HitRateDropIn(previous, current) is { } drop)
        {
            verdict += $" The hit rate fell from {Percent(drop.Before)} to {Percent(drop.After)} on {ReportPeriod.Format(drop.Day)}: look at what changed in the prompts that day.";
        }

        return new DiagnosisCategory("caching", "Caching", change, verdict,
            new[]
            {
                ("cacheHitRate", hit, hitBefore),
                ("cacheWritesPerRead", writesPerRead, writesPerReadBefore),
                ("sessionsWithWritesNeverRead", (double)unread.Count, (double)previous.WritesNeverRead.Count),
                ("cacheWriteTokensNeverRead", (double)unreadTokens, (double)previous.WritesNeverRead.Sum(s => s.Totals.Tokens.CacheWriteTokens)),
            },
            new[] { "TL2001", "TL2002", "TL2003", "TL2004", "TL2005", "[CachedPrompt]" });
    }

    private static DiagnosisCategory Volume(PeriodSummary previous, PeriodSummary current, double change)
    {
        double perDay = UsageTotals.Ratio(current.Totals.Calls, current.Period.Days);
        double perDayBefore = UsageTotals.Ratio(previous.Totals.Calls, previous.Period.Days);
        string verdict = $"Calls a day {Moved(perDayBefore, perDay, v => v.ToString("#,0.#", CultureInfo.InvariantCulture))} "
            + $"({Count(current.Totals.Calls)} calls in {current.Period.Days} days).";
        return new DiagnosisCategory("volume", "Volume", change, verdict,
            new[]
            {
                ("callsPerDay", perDay, perDayBefore),
                ("calls", (double)current.Totals.Calls, (double)previous.Totals.Calls),
            },
            new[] { "UseSemanticCache" });
    }

    /// <summary>The largest day-over-day fall in hit rate that lands in the current period, when large enough to name.</summary>
    public static HitRateDrop? HitRateDropIn(PeriodSummary previous, PeriodSummary current)
    {
        HitRateDrop? largest = null;
        (DateOnly Day, double Rate)? last = null;
        foreach (var (day, totals) in previous.Days.Concat(current.Days))
        {
            if (totals.Tokens.TotalInputTokens == 0)
            {
                continue;
            }

            double rate = totals.CacheHitRate;
            if (last is { } before && current.Period.Contains(day) && before.Rate - rate >= HitRateDropWorthNaming
                && (largest is null || before.Rate - rate > largest.Before - largest.After))
            {
                largest = new HitRateDrop(day, before.Rate, rate);
            }

            last = (day, rate);
        }

        return largest;
    }

    private static double Share(decimal part, decimal whole) => whole == 0 ? 0 : (double)(part / whole);

    private static double PerMillion(decimal dollars, long tokens) => tokens == 0 ? 0 : (double)dollars * 1_000_000 / tokens;

    private static string Moved(double before, double after, Func<double, string> format) =>
        before == 0 ? $"is {format(after)} (none the period before)"
        : after == before ? $"stayed at {format(after)}"
        : $"{(after > before ? "rose" : "fell")} from {format(before)} to {format(after)}";

    internal static string Usd(double value) => value.ToString(Math.Abs(value) < 1 ? "$0.0000" : "$#,0.00", CultureInfo.InvariantCulture);

    internal static string SignedUsd(double value) => (value >= 0 ? "+" : "-") + Usd(Math.Abs(value));

    internal static string Percent(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);

    internal static string SignedPercent(double change) => (change >= 0 ? "+" : "") + change.ToString("0%", CultureInfo.InvariantCulture);

    internal static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
