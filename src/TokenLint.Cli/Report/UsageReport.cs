using System;
using System.Collections.Generic;

namespace TokenLint.Cli.Report;

/// <summary>What <c>tokenlint report</c> prints: a period, the one before it, and the diagnosis of the change.</summary>
internal sealed class UsageReport
{
    private UsageReport(UsageCollector collector, PeriodSummary current, PeriodSummary previous, IReadOnlyList<string> sources)
    {
        Collector = collector;
        Current = current;
        Previous = previous;
        Diagnosis = Diagnosis.Of(previous, current);
        Sources = sources;
    }

    public UsageCollector Collector { get; }

    public PeriodSummary Current { get; }

    public PeriodSummary Previous { get; }

    public Diagnosis Diagnosis { get; }

    /// <summary>The files and folders that were read.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Null when the logs hold no call at all (there is no newest day to end a default period on).</summary>
    public static UsageReport? Build(UsageCollector collector, DateOnly? since, DateOnly? until, IReadOnlyList<string> sources)
    {
        if (collector.Newest is not { } newest && (since is null || until is null))
        {
            return null;
        }

        var newestDay = collector.Newest is { } n ? DateOnly.FromDateTime(n.UtcDateTime) : until!.Value;
        var period = ReportPeriod.Choose(since, until, newestDay);
        return new UsageReport(collector, PeriodSummary.Build(collector, period), PeriodSummary.Build(collector, period.Previous), sources);
    }
}
