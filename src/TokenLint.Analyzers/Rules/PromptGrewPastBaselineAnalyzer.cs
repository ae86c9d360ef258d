using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Configuration;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL4003: a prompt that grew past the token count recorded for it in <c>tokenlint.baseline.json</c> by more than
/// the allowed share. Prompts grow a sentence at a time; the baseline makes the growth a reviewed decision.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PromptGrewPastBaselineAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the prompt's key in the baseline file.</summary>
    public const string KeyProperty = "BaselineKey";

    /// <summary>Diagnostic property: the new count the fix writes.</summary>
    public const string CountProperty = "TokenCount";

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.PromptGrewPastBaseline,
        title: "Prompt grew past its baseline",
        messageFormat: "'{0}' grew from {1} to {2} tokens (+{3}%), past its baseline in tokenlint.baseline.json (+{4}% allowed); trim it, or accept the new size into the baseline",
        RuleCategories.ContextSize,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every token a prompt gains is paid on every call: growth past the recorded baseline should be a reviewed decision.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PromptGrewPastBaseline));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!ProjectSwitches.IsEnabled(start.Options)
                || PromptBaseline.Find(start.Options, start.CancellationToken) is not { Entries.Count: > 0 } baseline)
            {
                return;
            }

            start.RegisterAdditionalFileAction(file => AnalyzePromptFile(file, baseline));

            // A recorded prompt is a constant or field named in the baseline: its key says it is a prompt, and
            // its initializer is where the text, the diagnostic and the reviewer's attention belong.
            start.RegisterOperationAction(operation => AnalyzeField(operation, baseline), OperationKind.FieldInitializer);
        });
    }

    private static void AnalyzeField(OperationAnalysisContext context, PromptBaseline baseline)
    {
        var initializer = (IFieldInitializerOperation)context.Operation;
        foreach (var field in initializer.InitializedFields)
        {
            if (!baseline.Entries.TryGetValue(field.ContainingType.ToDisplayString() + "." + field.Name, out var entry))
            {
                continue;
            }

            var text = PromptTextBuilder.Build(initializer.Value).StaticText;
            var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(initializer.Syntax.SyntaxTree);
            var count = TokenCounter.Count(text);
            if (Grew(entry, count.Value, options) is { } growth)
            {
                context.ReportDiagnostic(Create(initializer.Value.Syntax.GetLocation(), entry, count.Value, growth, options));
            }
        }
    }

    private static void AnalyzePromptFile(AdditionalFileAnalysisContext context, PromptBaseline baseline)
    {
        if (!baseline.Entries.TryGetValue(baseline.KeyOf(context.AdditionalFile.Path), out var entry)
            || context.AdditionalFile.GetText(context.CancellationToken) is not { } text)
        {
            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.AdditionalFile);
        var count = TokenCounter.Count(text.ToString());
        if (Grew(entry, count.Value, options) is { } growth)
        {
            var start = new LinePosition(0, 0);
            var location = Location.Create(context.AdditionalFile.Path, new TextSpan(0, 0), new LinePositionSpan(start, start));
            context.ReportDiagnostic(Create(location, entry, count.Value, growth, options));
        }
    }

    /// <summary>The growth in percent when it passes the allowed share, else null.</summary>
    private static double? Grew(BaselineEntry entry, int count, AnalyzerConfigOptions options)
    {
        long allowed = RuleOptions.MaxGrowthPercent.GetWholeNumber(options);
        if (count <= entry.Count || count * 100L <= entry.Count * (100L + allowed))
        {
            return null;
        }

        return entry.Count == 0 ? 100 : (count - entry.Count) * 100.0 / entry.Count;
    }

    private static Diagnostic Create(Location location, BaselineEntry entry, int count, double growth, AnalyzerConfigOptions options) =>
        Diagnostic.Create(
            Rule,
            location,
            ImmutableDictionary<string, string?>.Empty.Add(KeyProperty, entry.Key).Add(CountProperty, count.ToString(CultureInfo.InvariantCulture)),
            entry.Key,
            entry.Count.ToString("N0", CultureInfo.InvariantCulture),
            count.ToString("N0", CultureInfo.InvariantCulture),
            growth.ToString("0", CultureInfo.InvariantCulture),
            RuleOptions.MaxGrowthPercent.GetWholeNumber(options).ToString(CultureInfo.InvariantCulture));
}
