using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Cli;

/// <summary>The <c>tokenlint</c> command line: <c>report</c> and <c>diff</c>.</summary>
internal static class TokenLintCommand
{
    /// <summary>Exit code for input the tool cannot use: no logs found, an unreadable file, a bad price file.</summary>
    public const int InputError = 2;

    /// <summary>The environment variable that names a price file when <c>--prices</c> is not given.</summary>
    public const string PricesVariable = "TOKENLINT_MODEL_CATALOG";

    public static RootCommand Create()
    {
        var root = new RootCommand("TokenLint: where LLM spend goes, and what grew. Reads usage logs; diffs prompt baselines.");
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        return root;
    }

    /// <summary><c>--prices</c>: a model catalog override file, the same format the analyzers' TokenLintModelCatalog reads.</summary>
    public static Option<FileInfo> PricesOption() => new("--prices")
    {
        Description = $"A price file in the models.json format (the analyzers' TokenLintModelCatalog) that adds models or overrides prices. Default: ${PricesVariable}, if set.",
    };

    /// <summary>The built-in catalog with the user's override file, or null (after saying why on standard error) when that file cannot be used.</summary>
    public static ModelPriceCatalog? LoadPrices(FileInfo? prices, TextWriter error)
    {
        string? path = prices?.FullName ?? (Environment.GetEnvironmentVariable(PricesVariable) is { Length: > 0 } variable ? variable : null);
        if (path is null)
        {
            return ModelPriceCatalog.BuiltIn;
        }

        try
        {
            return ModelPriceCatalog.BuiltIn.WithOverrides(path);
        }
        catch (ModelPriceCatalogException e)
        {
            error.WriteLine($"tokenlint: the price file cannot be used: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"tokenlint: the price file '{path}' cannot be read: {e.Message}");
        }

        return null;
    }

    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
