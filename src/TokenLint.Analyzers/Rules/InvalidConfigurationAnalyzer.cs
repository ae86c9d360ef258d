using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.Configuration;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9001: a TokenLint option with a value it cannot use, or a malformed model catalog override. Reported once
/// per compilation, at its end, so that a key set for every file is not reported for every file; the default
/// (or the built-in catalog entry) is used instead.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidConfigurationAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.InvalidConfiguration,
        title: "Invalid TokenLint configuration",
        messageFormat: "{0}",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An option value or catalog override that TokenLint cannot use is ignored; this says which one and why.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.InvalidConfiguration),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(compilation =>
        {
            if (ProjectSwitches.IsEnabled(compilation.Options))
            {
                ReportInvalidOptions(compilation);
                ReportCatalogProblems(compilation);
                ReportBaselineProblems(compilation);
            }
        });
    }

    private static void ReportInvalidOptions(CompilationAnalysisContext context)
    {
        var provider = context.Options.AnalyzerConfigOptionsProvider;
        var reported = new HashSet<(string Key, string Value)>();
        foreach (var options in EveryOptionSet(context.Compilation, provider))
        {
            if (!MayHoldTokenLintKeys(options))
            {
                continue;
            }

            foreach (var option in RuleOptions.All)
            {
                if (option.TryGetRaw(options, out var key, out var value)
                    && option.Validate(value) is { } expected
                    && reported.Add((key, value)))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Rule,
                        Location.None,
                        $"Invalid value '{value}' for '{key}': {expected}; using the default {option.DefaultValue}"));
                }
            }
        }
    }

    /// <summary>
    /// False when the set names no TokenLint key, as most files' sets do: its lookups of every option's two keys are
    /// skipped. A set that cannot list its keys is read key by key.
    /// </summary>
    private static bool MayHoldTokenLintKeys(AnalyzerConfigOptions options)
    {
        try
        {
            foreach (var key in options.Keys)
            {
                if (key.StartsWith(RuleOption.Prefix, System.StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
        catch (System.NotImplementedException)
        {
            return true;
        }
    }

    /// <summary>
    /// The global options and each file's, each distinct set once: files under the same .editorconfig sections share
    /// one options object, so a project of hundreds of files usually has a handful.
    /// </summary>
    private static IEnumerable<AnalyzerConfigOptions> EveryOptionSet(Compilation compilation, AnalyzerConfigOptionsProvider provider)
    {
        var seen = new HashSet<AnalyzerConfigOptions>(ReferenceComparer.Instance) { provider.GlobalOptions };
        yield return provider.GlobalOptions;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var options = provider.GetOptions(tree);
            if (seen.Add(options))
            {
                yield return options;
            }
        }
    }

    private sealed class ReferenceComparer : IEqualityComparer<AnalyzerConfigOptions>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(AnalyzerConfigOptions? x, AnalyzerConfigOptions? y) => ReferenceEquals(x, y);

        public int GetHashCode(AnalyzerConfigOptions obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    private static void ReportBaselineProblems(CompilationAnalysisContext context)
    {
        if (PromptBaseline.Find(context.Options, context.CancellationToken) is not { } baseline)
        {
            return;
        }

        foreach (var problem in baseline.Problems)
        {
            var position = new LinePosition(problem.Line - 1, problem.Column - 1);
            var location = Location.Create(baseline.Path, new TextSpan(problem.Offset, 0), new LinePositionSpan(position, position));
            context.ReportDiagnostic(Diagnostic.Create(
                Rule,
                location,
                $"{System.IO.Path.GetFileName(baseline.Path)}({problem.Line},{problem.Column}): {problem.Message}; TL4003 skips that entry"));
        }
    }

    // Entry problems already say the entry is ignored; anything else stops the whole file from being read.
    private static string Consequence(string problem) =>
        problem.EndsWith("entry ignored", System.StringComparison.Ordinal) ? "" : "; the file is ignored and the built-in catalog is used";

    private static void ReportCatalogProblems(CompilationAnalysisContext context)
    {
        foreach (var entry in ModelCatalogProvider.Get(context.Options, context.CancellationToken).Problems)
        {
            var text = entry.File.GetText(context.CancellationToken);
            var position = new LinePosition(entry.Problem.Line - 1, entry.Problem.Column - 1);
            int length = text is null ? 0 : System.Math.Min(1, text.Length - entry.Problem.Offset);
            var location = Location.Create(entry.File.Path, new TextSpan(entry.Problem.Offset, System.Math.Max(0, length)), new LinePositionSpan(position, position));
            context.ReportDiagnostic(Diagnostic.Create(
                Rule,
                location,
                $"{System.IO.Path.GetFileName(entry.File.Path)}({entry.Problem.Line},{entry.Problem.Column}): {entry.Problem.Message}{Consequence(entry.Problem.Message)}"));
        }
    }
}
