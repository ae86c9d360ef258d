using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using TokenLint.Cli.Output;
using TokenLint.Cli.Report;
using TokenLint.Cli.Usage;

namespace TokenLint.Cli;

/// <summary><c>tokenlint report [paths...]</c>: the diagnosis of a period's spend against the period before.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Usage logs: TokenLint JSON Lines ledgers and Claude Code transcripts, as files or folders (searched for *.jsonl). Default: Claude Code's projects folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var since = new Option<string>("--since") { Description = "First day of the period (yyyy-MM-dd, UTC). Default: 6 days before --until." };
        var until = new Option<string>("--until") { Description = "Last day of the period (yyyy-MM-dd, UTC). Default: the day of the newest call read." };
        var json = new Option<bool>("--json") { Description = "Write the report as one JSON document to standard output." };
        var html = new Option<FileInfo>("--html") { Description = "Also write a self-contained HTML report with charts to this file." };
        var prices = TokenLintCommand.PricesOption();

        var command = new Command("report", "Split the change in spend between a period and the one before into model mix, context growth, loops, caching and volume.")
        {
            paths, since, until, json, html, prices,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            DateOnly? first = null, last = null;
            if (parse.GetValue(since) is { } sinceText)
            {
                if (!TokenLintCommand.TryParseDay(sinceText, out var day))
                {
                    error.WriteLine($"tokenlint: --since '{sinceText}' is not a day of the form yyyy-MM-dd.");
                    return TokenLintCommand.InputError;
                }

                first = day;
            }

            if (parse.GetValue(until) is { } untilText)
            {
                if (!TokenLintCommand.TryParseDay(untilText, out var day))
                {
                    error.WriteLine($"tokenlint: --until '{untilText}' is not a day of the form yyyy-MM-dd.");
                    return TokenLintCommand.InputError;
                }

                last = day;
            }

            if (first is { } a && last is { } b && a > b)
            {
                error.WriteLine("tokenlint: --since is after --until.");
                return TokenLintCommand.InputError;
            }

            return Run(parse.GetValue(paths) ?? Array.Empty<string>(), first, last, parse.GetValue(json), parse.GetValue(html), parse.GetValue(prices), output, error);
        });
        return command;
    }

    public static int Run(string[] paths, DateOnly? since, DateOnly? until, bool json, FileInfo? html, FileInfo? prices, TextWriter output, TextWriter error)
    {
        var catalog = TokenLintCommand.LoadPrices(prices, error);
        if (catalog is null)
        {
            return TokenLintCommand.InputError;
        }

        bool defaultFolders = paths.Length == 0;
        var sources = defaultFolders ? UsageLogReader.DefaultTranscriptFolders().Where(Directory.Exists).ToArray() : paths;
        if (defaultFolders && sources.Length == 0)
        {
            error.WriteLine($"tokenlint: no usage logs given, and Claude Code's transcripts are not in {string.Join(" or ", UsageLogReader.DefaultTranscriptFolders())}. "
                + "Name ledger files or folders: tokenlint report <paths...>");
            return TokenLintCommand.InputError;
        }

        var files = UsageLogReader.FindFiles(sources, out var missing);
        foreach (string path in missing)
        {
            error.WriteLine($"tokenlint: '{path}' does not exist.");
        }

        if (missing.Count > 0)
        {
            return TokenLintCommand.InputError;
        }

        if (files.Count == 0)
        {
            error.WriteLine($"tokenlint: no *.jsonl usage logs in {string.Join(", ", sources)}.");
            return TokenLintCommand.InputError;
        }

        var collector = new UsageCollector(new CallPricer(catalog));
        UsageLogReader.ReadAll(files, collector);
        var report = UsageReport.Build(collector, since, until, sources);
        if (report is null)
        {
            error.WriteLine($"tokenlint: {files.Count} usage log(s) read, {collector.LinesRead} lines, and not one model call with usage in them.");
            foreach (var problem in collector.Problems.Take(10))
            {
                error.WriteLine("  " + problem);
            }

            return TokenLintCommand.InputError;
        }

        if (html is not null)
        {
            try
            {
                using var stream = File.Create(html.FullName);
                HtmlReportWriter.Write(report, stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"tokenlint: cannot write '{html.FullName}': {e.Message}");
                return TokenLintCommand.InputError;
            }
        }

        if (json)
        {
            output.Flush();
            using var stream = new MemoryStream();
            JsonReportWriter.Write(report, stream);
            output.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            output.WriteLine();
            if (collector.ProblemCount > 0)
            {
                error.WriteLine($"tokenlint: skipped {collector.ProblemCount} damaged line(s); they are listed under read.problemLines.");
            }
        }
        else
        {
            TerminalReportWriter.Write(report, output);
            if (html is not null)
            {
                output.WriteLine($"HTML report: {html.FullName}");
            }
        }

        return 0;
    }
}
