using System;

namespace TokenLint.Cli.Report;

/// <summary>A session's calls within a report period.</summary>
internal sealed class SessionSummary
{
    /// <summary>A session with at least this many calls can be judged on how its prompt grows.</summary>
    public const int GrowthMinCalls = 5;

    public SessionSummary(string session, string? project)
    {
        Session = session;
        Project = project;
    }

    public string Session { get; }

    public string? Project { get; }

    public UsageTotals Totals { get; } = new();

    public long FirstInputTokens { get; private set; }

    public long LastInputTokens { get; private set; }

    public DateTimeOffset FirstCall { get; private set; } = DateTimeOffset.MaxValue;

    private long _increases;
    private long _comparisons;

    /// <summary>Made more calls than the period's loop threshold (see <see cref="PeriodSummary.LoopCallThreshold"/>).</summary>
    public bool UnusualCallCount { get; internal set; }

    /// <summary>
    /// The prompt grew on at least 90% of consecutive calls and ended at least twice its first size: a history resent
    /// whole on every turn (TL4004's pattern at run time).
    /// </summary>
    public bool GrowsEveryTurn =>
        Totals.Calls >= GrowthMinCalls && _comparisons > 0 && _increases >= 0.9 * _comparisons && LastInputTokens >= 2 * FirstInputTokens;

    /// <summary>Adds one day of the session; days come in order.</summary>
    public void Add(SessionDay day)
    {
        if (Totals.Calls == 0)
        {
            FirstInputTokens = day.FirstInputTokens;
        }

        LastInputTokens = day.LastInputTokens;
        _increases += day.Increases;
        _comparisons += day.Totals.Calls - 1;
        FirstCall = day.FirstCall < FirstCall ? day.FirstCall : FirstCall;
        Totals.Add(day.Totals);
    }
}
