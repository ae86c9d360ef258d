using System;
using System.Collections.Generic;
using System.Linq;

namespace TokenLint.Cli.Report;

/// <summary>Everything the report says about one period: totals, and calls by day, model, project and session.</summary>
internal sealed class PeriodSummary
{
    /// <summary>A session is a loop suspect with more calls than this many times the period's median session...</summary>
    public const int LoopMedianMultiple = 3;

    /// <summary>...and more than this many calls in all.</summary>
    public const int LoopMinCalls = 20;

    private PeriodSummary(ReportPeriod period)
    {
        Period = period;
    }

    public ReportPeriod Period { get; }

    public UsageTotals Totals { get; } = new();

    /// <summary>Every day of the period, days without calls included.</summary>
    public IReadOnlyList<(DateOnly Day, UsageTotals Totals)> Days { get; private set; } = Array.Empty<(DateOnly, UsageTotals)>();

    /// <summary>Models by spend, costliest first.</summary>
    public IReadOnlyList<(string Model, UsageTotals Totals)> Models { get; private set; } = Array.Empty<(string, UsageTotals)>();

    /// <summary>Projects (Claude Code) or agents (TokenLint ledgers) by spend; "" for calls without one.</summary>
    public IReadOnlyList<(string Project, UsageTotals Totals)> Projects { get; private set; } = Array.Empty<(string, UsageTotals)>();

    /// <summary>Sessions by spend, costliest first.</summary>
    public IReadOnlyList<SessionSummary> Sessions { get; private set; } = Array.Empty<SessionSummary>();

    /// <summary>Spend by day and model, for the chart of spend by model over time.</summary>
    public IReadOnlyDictionary<(DateOnly Day, string Model), decimal> DayModelCost { get; private set; } = new Dictionary<(DateOnly, string), decimal>();

    /// <summary>More calls than this makes a session a loop suspect: max(20, 3 x the median calls per session).</summary>
    public long LoopCallThreshold { get; private set; }

    public IReadOnlyList<SessionSummary> LoopSessions => Sessions.Where(s => s.UnusualCallCount).ToArray();

    /// <summary>Priced calls made in loop-suspect sessions.</summary>
    public long LoopPricedCalls => Sessions.Where(s => s.UnusualCallCount).Sum(s => s.Totals.PricedCalls);

    /// <summary>The share of the period's spend taken by its costliest 1% of sessions (at least one session).</summary>
    public double TopOnePercentSessionShare
    {
        get
        {
            if (Sessions.Count == 0 || Totals.CostUsd == 0)
            {
                return 0;
            }

            int top = Math.Max(1, (int)Math.Ceiling(Sessions.Count * 0.01));
            return (double)(Sessions.Take(top).Sum(s => s.Totals.CostUsd) / Totals.CostUsd);
        }
    }

    public IReadOnlyList<SessionSummary> GrowingSessions => Sessions.Where(s => s.GrowsEveryTurn).ToArray();

    /// <summary>Sessions that wrote to the prompt cache and never read from it: every write was paid for nothing.</summary>
    public IReadOnlyList<SessionSummary> WritesNeverRead =>
        Sessions.Where(s => s.Totals.Tokens.CacheWriteTokens > 0 && s.Totals.Tokens.CacheReadTokens == 0).ToArray();

    public static PeriodSummary Build(UsageCollector collector, ReportPeriod period)
    {
        var summary = new PeriodSummary(period);
        var days = new List<(DateOnly, UsageTotals)>(period.Days);
        for (var day = period.First; day <= period.Last; day = day.AddDays(1))
        {
            var totals = collector.Days.TryGetValue(day, out var found) ? found : new UsageTotals();
            days.Add((day, totals));
            summary.Totals.Add(totals);
        }

        summary.Days = days;
        summary.Models = Group(collector.DayModels.Where(p => period.Contains(p.Key.Day)).Select(p => (p.Key.Model, p.Value)));
        summary.Projects = Group(collector.DayProjects.Where(p => period.Contains(p.Key.Day)).Select(p => (p.Key.Project, p.Value)));
        summary.DayModelCost = collector.DayModels.Where(p => period.Contains(p.Key.Day)).ToDictionary(p => p.Key, p => p.Value.CostUsd);

        var sessions = new Dictionary<string, SessionSummary>(StringComparer.Ordinal);
        foreach (var pair in collector.SessionDays.Where(p => period.Contains(p.Key.Day)).OrderBy(p => p.Key.Day))
        {
            if (!sessions.TryGetValue(pair.Key.Session, out var session))
            {
                session = new SessionSummary(pair.Key.Session, pair.Value.Project);
                sessions[pair.Key.Session] = session;
            }

            session.Add(pair.Value);
        }

        summary.Sessions = sessions.Values
            .OrderByDescending(s => s.Totals.CostUsd)
            .ThenByDescending(s => s.Totals.Calls)
            .ThenBy(s => s.Session, StringComparer.Ordinal)
            .ToArray();
        summary.LoopCallThreshold = Math.Max(LoopMinCalls, LoopMedianMultiple * MedianCalls(summary.Sessions));
        foreach (var session in summary.Sessions)
        {
            session.UnusualCallCount = session.Totals.Calls > summary.LoopCallThreshold;
        }

        return summary;
    }

    /// <summary>The lower median of calls per session (0 without sessions).</summary>
    private static long MedianCalls(IReadOnlyList<SessionSummary> sessions)
    {
        if (sessions.Count == 0)
        {
            return 0;
        }

        long[] calls = sessions.Select(s => s.Totals.Calls).OrderBy(c => c).ToArray();
        return calls[(calls.Length - 1) / 2];
    }

    private static IReadOnlyList<(string Key, UsageTotals Totals)> Group(IEnumerable<(string Key, UsageTotals Totals)> pairs)
    {
        var groups = new Dictionary<string, UsageTotals>(StringComparer.Ordinal);
        foreach (var (key, totals) in pairs)
        {
            if (!groups.TryGetValue(key, out var sum))
            {
                sum = new UsageTotals();
                groups[key] = sum;
            }

            sum.Add(totals);
        }

        return groups
            .OrderByDescending(g => g.Value.CostUsd)
            .ThenByDescending(g => g.Value.Calls)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Value))
            .ToArray();
    }
}
