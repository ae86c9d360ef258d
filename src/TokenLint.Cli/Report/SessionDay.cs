using System;

namespace TokenLint.Cli.Report;

/// <summary>
/// One session's calls on one UTC day, with how its prompt grew from call to call: a session whose input rises on
/// nearly every turn resends an ever longer history.
/// </summary>
internal sealed class SessionDay
{
    public SessionDay(string session, string? project)
    {
        Session = session;
        Project = project;
    }

    public string Session { get; }

    public string? Project { get; }

    public UsageTotals Totals { get; } = new();

    public long FirstInputTokens { get; private set; }

    public long LastInputTokens { get; private set; }

    /// <summary>Consecutive pairs of calls (in log order) where the second call's prompt was larger.</summary>
    public long Increases { get; private set; }

    public DateTimeOffset FirstCall { get; private set; } = DateTimeOffset.MaxValue;

    public DateTimeOffset LastCall { get; private set; } = DateTimeOffset.MinValue;

    public void Add(in PricedCall call)
    {
        long input = call.Call.Tokens.TotalInputTokens;
        if (Totals.Calls == 0)
        {
            FirstInputTokens = input;
        }
        else if (input > LastInputTokens)
        {
            Increases++;
        }

        LastInputTokens = input;
        FirstCall = call.Call.Timestamp < FirstCall ? call.Call.Timestamp : FirstCall;
        LastCall = call.Call.Timestamp > LastCall ? call.Call.Timestamp : LastCall;
        Totals.Add(call);
    }
}
