using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using TokenLint.Analysis.Configuration;
using TokenLint.Cli.Diff;

namespace TokenLint.Cli;

/// <summary><c>tokenlint diff &lt;old&gt; &lt;new&gt;</c>: prompt size changes between two baselines, as Markdown for a pull request.</summary>
internal static class DiffCommand
{
    /// <summary>Exit code when a prompt grew by more than <c>--fail-above</c>.</summary>
    public const int GrewTooMuch = 1;

    public static Command Create()
    {
        var before = new Argument<FileInfo>("old-baseline") { Description = "The tokenlint.baseline.json of the base branch." };
        var after = new Argument<FileInfo>("new-baseline") { Description = "The tokenlint.baseline.json of the change." };
        var model = new Option<string>("--model") { Description = "The model to price prompts at whose baseline entry names none." };
        var failAbove = new Option<double?>("--fail-above") { Description = "Exit with code 1 when a prompt grew by more than this many per cent." };
        var prices = TokenLintCommand.PricesOption();
        var command = new Command("diff", "Prompt sizes before and after, in tokens, per cent and dollars per 1,000 calls, as a Markdown table.")
        {
            before, after, model, failAbove, prices,
        };
        command.SetAction(parse => Run(
            parse.GetValue(before)!, parse.GetValue(after)!, parse.GetValue(model), parse.GetValue(failAbove), parse.GetValue(prices),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(FileInfo before, FileInfo after, string? model, double? failAbove, FileInfo? prices, TextWriter output, TextWriter error)
    {
        if (failAbove is < 0)
        {
            error.WriteLine("tokenlint: --fail-above must be a percentage of 0 or more.");
            return TokenLintCommand.InputError;
        }

        var catalog = TokenLintCommand.LoadPrices(prices, error);
        var old = Load(before, error);
        var now = Load(after, error);
        if (catalog is null || old is null || now is null)
        {
            return TokenLintCommand.InputError;
        }

        var changes = BaselineDiff.Compare(old, now, model, catalog);
        int unchanged = old.Entries.Keys.Union(now.Entries.Keys).Count() - changes.Count;
        output.Write(BaselineDiff.ToMarkdown(changes, unchanged, failAbove));
        return failAbove is double limit && BaselineDiff.GrewAbove(changes, limit).Count > 0 ? GrewTooMuch : 0;
    }

    private static PromptBaseline? Load(FileInfo file, TextWriter error)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"tokenlint: cannot read the baseline '{file.FullName}': {e.Message}");
            return null;
        }

        var baseline = PromptBaseline.Read(file.FullName, text);
        if (baseline.Problems.Count > 0)
        {
            foreach (var problem in baseline.Problems)
            {
                error.WriteLine($"{file.FullName}{problem}");
            }

            return null;
        }

        return baseline;
    }
}
