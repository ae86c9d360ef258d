using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Configuration;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9003 (info): one prompt's size, for a fresh <c>tokenlint.baseline.json</c>. Reported only in a build with
/// <c>TokenLintBaselineReport=true</c>, which the package's <c>TokenLintWriteBaseline</c> target runs: it collects
/// these from the build's SARIF log and writes the file (analyzers never write files).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BaselineEntryAnalyzer : ModelRuleAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.BaselineEntry,
        title: "Prompt size for the baseline",
        messageFormat: "Prompt size for the baseline: '{0}' = {1} tokens",
        RuleCategories.Configuration,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Emitted only when the TokenLintWriteBaseline target asks for the sizes of the project's prompts.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BaselineEntry));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override bool StartCompilation(CompilationStartAnalysisContext start)
    {
        var global = start.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
        if (!global.TryGetValue("build_property.TokenLintBaselineReport", out var report)
            || !report.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        global.TryGetValue("build_property.MSBuildProjectDirectory", out var projectDirectory);
        start.RegisterAdditionalFileAction(file => ReportPromptFile(file, projectDirectory));
        return true;
    }

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        var reported = new ConcurrentDictionary<string, bool>();
        start.RegisterOperationAction(operation => ReportFieldPrompts(operation, callSites, reported), OperationKind.Invocation);
    }

    private static void ReportFieldPrompts(OperationAnalysisContext context, ModelCallSiteCatalog callSites, ConcurrentDictionary<string, bool> reported)
    {
        if (!callSites.TryGetCallSite((IInvocationOperation)context.Operation, out var callSite))
        {
            return;
        }

        foreach (var part in callSite.PromptParts.Where(p => !p.IsOpaque))
        {
            // The keys TL4003 reads: prompts kept in a named constant or field.
            if (ValueTracer.Unwrap(part.Text) is IFieldReferenceOperation { Field: { DeclaringSyntaxReferences.Length: 1 } field }
                && reported.TryAdd(field.ContainingType.ToDisplayString() + "." + field.Name, true))
            {
                var count = TokenCounter.Count(PromptTextBuilder.Build(part).StaticText);
                var location = field.DeclaringSyntaxReferences[0].GetSyntax().GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, field.ContainingType.ToDisplayString() + "." + field.Name, count.Value.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    private static void ReportPromptFile(AdditionalFileAnalysisContext context, string? projectDirectory)
    {
        string path = context.AdditionalFile.Path;
        string name = Path.GetFileName(path);
        if ((!name.EndsWith(".prompt.md", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".prompt.txt", StringComparison.OrdinalIgnoreCase))
            || context.AdditionalFile.GetText(context.CancellationToken) is not { } text)
        {
            return;
        }

        // Keys are relative to the project folder, where the target writes the baseline.
        string key = path.Replace('\\', '/');
        string prefix = (projectDirectory ?? "").Replace('\\', '/').TrimEnd('/') + "/";
        if (prefix.Length > 1 && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            key = key.Substring(prefix.Length);
        }

        var start = new LinePosition(0, 0);
        var location = Location.Create(path, new TextSpan(0, 0), new LinePositionSpan(start, start));
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, key, TokenCounter.Count(text.ToString()).Value.ToString(CultureInfo.InvariantCulture)));
    }
}
