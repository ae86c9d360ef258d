using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TokenLint.Cli.Report;

namespace TokenLint.Cli.Output;

/// <summary>The report as text: the diagnosis first, then tables by day, model, project or agent, and session.</summary>
internal static class TerminalReportWriter
{
    public const int SessionsListed = 10;

    public static void Write(UsageReport report, TextWriter output)
    {
        var current = report.Current;
        var previous = report.Previous;
        output.WriteLine($"TokenLint usage report: {current.Period} (UTC), compared with {previous.Period}");
        output.WriteLine();
        output.WriteLine(report.Diagnosis.Headline);
        output.WriteLine();
        var categories = new TextTable("kind of waste", "change", "look at") { LeftAligned = new[] { 2 } };
        foreach (var category in report.Diagnosis.Categories)
        {
            categories.Add(category.Title, Diagnosis.SignedUsd(category.ChangeUsd), string.Join(", ", category.AddressedBy));
        }

        categories.Write(output);
        output.WriteLine();
        foreach (var category in report.Diagnosis.Categories)
        {
            output.WriteLine($"- {category.Title}: {category.Verdict}");
        }

        output.WriteLine();
        output.WriteLine("By day");
        var days = Table("day");
        foreach (var (day, totals) in current.Days)
        {
            AddRow(days, ReportPeriod.Format(day), totals);
        }

        AddRow(days, "total", current.Totals);
        AddRow(days, "period before", previous.Totals);
        days.Write(output);

        WriteGroups(output, "By model", "model", current.Models);
        WriteGroups(output, "By project or agent", "project or agent", current.Projects);

        output.WriteLine();
        output.WriteLine($"Costliest sessions ({Math.Min(SessionsListed, current.Sessions.Count)} of {Diagnosis.Count(current.Sessions.Count)})");
        var sessions = Table("session");
        foreach (var session in current.Sessions.Take(SessionsListed))
        {
            string marks = (session.UnusualCallCount ? " [many calls]" : "") + (session.GrowsEveryTurn ? " [prompt grows]" : "");
            AddRow(sessions, session.Session + marks, session.Totals);
        }

        sessions.Write(output);

        var collector = report.Collector;
        output.WriteLine();
        output.WriteLine($"Read {Diagnosis.Count(collector.FilesRead)} files, {Diagnosis.Count(collector.LinesRead)} lines, {Diagnosis.Count(collector.Calls)} calls "
            + $"({Diagnosis.Count(collector.DuplicateCalls)} logged more than once, counted once).");
        if (collector.UnpricedModels.Count > 0)
        {
            output.WriteLine("No price for: " + string.Join(", ", collector.UnpricedModels.Select(p => $"{p.Key} ({Diagnosis.Count(p.Value)} calls)"))
                + ". Add them to a price file (--prices) to count their dollars.");
        }

        if (collector.ProblemCount > 0)
        {
            output.WriteLine($"Skipped {Diagnosis.Count(collector.ProblemCount)} damaged lines:");
            foreach (var problem in collector.Problems.Take(10))
            {
                output.WriteLine("  " + problem);
            }

            if (collector.ProblemCount > 10)
            {
                output.WriteLine($"  ... and {Diagnosis.Count(collector.ProblemCount - 10)} more (all are listed in --json).");
            }
        }
    }

    private static void WriteGroups(TextWriter output, string title, string keyHeader, IReadOnlyList<(string Key, UsageTotals Totals)> groups)
    {
        output.WriteLine();
        output.WriteLine(title);
        var table = Table(keyHeader);
        foreach (var (key, totals) in groups)
        {
            AddRow(table, key.Length == 0 ? "(none)" : key, totals);
        }

        table.Write(output);
    }

    private static TextTable Table(string keyHeader) =>
        new(keyHeader, "calls", "input", "cache write", "cache read", "output", "hit rate", "cost");

    private static void AddRow(TextTable table, string key, UsageTotals totals)
    {
        var tokens = totals.Tokens;
        table.Add(
            key,
            Diagnosis.Count(totals.Calls),
            Diagnosis.Count(tokens.InputTokens),
            Diagnosis.Count(tokens.CacheWriteTokens),
            Diagnosis.Count(tokens.CacheReadTokens),
            Diagnosis.Count(tokens.OutputTokens),
            tokens.TotalInputTokens == 0 ? "-" : Diagnosis.Percent(totals.CacheHitRate),
            Diagnosis.Usd((double)totals.CostUsd) + (totals.UnpricedCalls > 0 ? "*" : ""));
    }
}
