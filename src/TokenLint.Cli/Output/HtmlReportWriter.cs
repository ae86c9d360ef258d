using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using TokenLint.Cli.Report;

namespace TokenLint.Cli.Output;

/// <summary>
/// <c>tokenlint report --html FILE</c>: one self-contained page, the diagnosis at the top and a chart per kind of waste,
/// drawn as inline SVG. No script, no external resource; paths, projects, sessions and models are escaped, and no
/// message text is ever read, so none can be shown.
/// </summary>
internal static class HtmlReportWriter
{
    /// <summary>Models drawn on their own in the spend chart; the rest are summed as "other".</summary>
    public const int ModelsCharted = 5;

    public static void Write(UsageReport report, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write(Render(report));
    }

    public static string Render(UsageReport report)
    {
        var days = report.Previous.Days.Concat(report.Current.Days).ToArray();
        var labels = days.Select(d => d.Day.ToString("MM-dd", CultureInfo.InvariantCulture)).ToArray();
        var inCurrent = days.Select(d => report.Current.Period.Contains(d.Day)).ToArray();
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>TokenLint usage report ").Append(Esc(report.Current.Period.ToString())).Append("</title><style>")
            .Append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:980px;color:#111827;padding:0 16px}")
            .Append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}.headline{font-size:17px;background:#f3f4f6;padding:12px;border-radius:6px}")
            .Append("table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:right}")
            .Append("td:first-child,th:first-child{text-align:left}.up{color:#b91c1c}.down{color:#15803d}")
            .Append(".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px;font-size:12px}.legend span{display:inline-block;width:10px;height:10px;margin-right:4px}")
            .Append("figure{margin:0 0 12px}figcaption{font-size:13px;color:#374151}.verdict{font-size:14px}")
            .Append("</style></head><body>");
        html.Append("<h1>TokenLint usage report</h1><p>")
            .Append(Esc($"{report.Current.Period} (UTC), compared with {report.Previous.Period}. Lighter bars: the period before."))
            .Append("</p>");
        html.Append("<p class=\"headline\" id=\"headline\">").Append(Esc(report.Diagnosis.Headline)).Append("</p>");

        html.Append("<table id=\"diagnosis\"><thead><tr><th>kind of waste</th><th>change</th><th>what it says</th><th>look at</th></tr></thead><tbody>");
        foreach (var category in report.Diagnosis.Categories)
        {
            html.Append("<tr><td>").Append(Esc(category.Title)).Append("</td><td class=\"").Append(Math.Abs(category.ChangeUsd) < 0.00005 ? "same" : category.ChangeUsd > 0 ? "up" : "down").Append("\">")
                .Append(Esc(Diagnosis.SignedUsd(category.ChangeUsd))).Append("</td><td class=\"verdict\" style=\"text-align:left\">")
                .Append(Esc(category.Verdict)).Append("</td><td>").Append(Esc(string.Join(", ", category.AddressedBy))).Append("</td></tr>");
        }

        html.Append("</tbody></table>");

        Section(html, "Model mix: spend by model per day", SpendByModel(report, days, labels, inCurrent));
        Section(html, "Context growth: input tokens per call", SvgChart.Line("input-per-call", "Input tokens per call, per day", labels,
            days.Select(d => d.Totals.Calls == 0 ? (double?)null : d.Totals.InputTokensPerCall).ToArray(), v => v.ToString("#,0", CultureInfo.InvariantCulture)));
        Section(html, "Loops: how session cost is spread", SessionCostDistribution(report.Current));
        Section(html, "Caching: cache hit rate per day (reads / all input)", SvgChart.Line("cache-hit-rate", "Cache hit rate per day", labels,
            days.Select(d => d.Totals.Tokens.TotalInputTokens == 0 ? (double?)null : d.Totals.CacheHitRate).ToArray(),
            v => v.ToString("0%", CultureInfo.InvariantCulture), fixedTop: 1));
        Section(html, "Volume: calls per day", SvgChart.StackedBars("calls-per-day", "Calls per day", labels,
            new[] { ("calls", days.Select(d => (double)d.Totals.Calls).ToArray()) }, v => v.ToString("#,0", CultureInfo.InvariantCulture), inCurrent, counts: true));

        Table(html, "By model", "model", report.Current.Models);
        Table(html, "By project or agent", "project or agent", report.Current.Projects);
        Table(html, "Costliest sessions", "session", report.Current.Sessions.Take(TerminalReportWriter.SessionsListed).Select(s => (s.Session, s.Totals)).ToArray());

        var collector = report.Collector;
        html.Append("<p>").Append(Esc($"Read {collector.FilesRead:#,0} files, {collector.LinesRead:#,0} lines, {collector.Calls:#,0} calls ({collector.DuplicateCalls:#,0} logged more than once, counted once); {collector.ProblemCount:#,0} damaged lines skipped."))
            .Append("</p></body></html>\n");
        return html.ToString();
    }

    private static string SpendByModel(UsageReport report, (DateOnly Day, UsageTotals Totals)[] days, string[] labels, bool[] inCurrent)
    {
        var costs = report.Previous.DayModelCost.Concat(report.Current.DayModelCost).ToArray();
        var charted = costs.GroupBy(p => p.Key.Model).OrderByDescending(g => g.Sum(p => p.Value)).Select(g => g.Key).Take(ModelsCharted).ToArray();
        var series = new List<(string, double[])>();
        foreach (string model in charted)
        {
            series.Add((model, days.Select(d => (double)costs.Where(p => p.Key.Day == d.Day && p.Key.Model == model).Sum(p => p.Value)).ToArray()));
        }

        var others = days.Select(d => (double)costs.Where(p => p.Key.Day == d.Day && !charted.Contains(p.Key.Model)).Sum(p => p.Value)).ToArray();
        if (others.Any(v => v > 0))
        {
            series.Add(("other models", others));
        }

        return SvgChart.StackedBars("spend-by-model", "Spend by model per day", labels, series, v => Diagnosis.Usd(v), inCurrent);
    }

    /// <summary>A histogram of session cost in decades ($0.001, $0.01, ... $100+), this period's sessions.</summary>
    private static string SessionCostDistribution(PeriodSummary current)
    {
        double[] edges = { 0.001, 0.01, 0.1, 1, 10, 100 };
        string[] labels = { "< $0.001", "< $0.01", "< $0.10", "< $1", "< $10", "< $100", "$100+" };
        var counts = new double[labels.Length];
        foreach (var session in current.Sessions)
        {
            double cost = (double)session.Totals.CostUsd;
            int bucket = Array.FindIndex(edges, e => cost < e);
            counts[bucket < 0 ? edges.Length : bucket]++;
        }

        return SvgChart.StackedBars("session-cost", "Sessions by cost", labels, new[] { ("sessions", counts) }, v => v.ToString("#,0", CultureInfo.InvariantCulture), counts: true)
            + "<figcaption>" + Esc($"{current.Sessions.Count:#,0} sessions; the costliest 1% took {Diagnosis.Percent(current.TopOnePercentSessionShare)} of spend.") + "</figcaption>";
    }

    private static void Section(StringBuilder html, string title, string chart) =>
        html.Append("<h2>").Append(Esc(title)).Append("</h2><figure>").Append(chart).Append("</figure>");

    private static void Table(StringBuilder html, string title, string keyHeader, IReadOnlyList<(string Key, UsageTotals Totals)> rows)
    {
        html.Append("<h2>").Append(Esc(title)).Append("</h2><table><thead><tr><th>").Append(Esc(keyHeader))
            .Append("</th><th>calls</th><th>input</th><th>cache write</th><th>cache read</th><th>output</th><th>hit rate</th><th>cost</th></tr></thead><tbody>");
        foreach (var (key, totals) in rows)
        {
            var t = totals.Tokens;
            html.Append("<tr><td>").Append(Esc(key.Length == 0 ? "(none)" : key)).Append("</td>");
            foreach (string cell in new[]
            {
                Diagnosis.Count(totals.Calls), Diagnosis.Count(t.InputTokens), Diagnosis.Count(t.CacheWriteTokens), Diagnosis.Count(t.CacheReadTokens),
                Diagnosis.Count(t.OutputTokens), t.TotalInputTokens == 0 ? "-" : Diagnosis.Percent(totals.CacheHitRate), Diagnosis.Usd((double)totals.CostUsd),
            })
            {
                html.Append("<td>").Append(Esc(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string Esc(string text) => SvgChart.Escape(text);
}
