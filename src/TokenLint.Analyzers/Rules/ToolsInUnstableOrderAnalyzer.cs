using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL2002: a request's tools listed in an order the runtime does not guarantee (hash-based collections,
/// reflection, the file system). Tool definitions are the first thing in the cached prefix: a different order in
/// another process or after a change invalidates the whole cache.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ToolsInUnstableOrderAnalyzer : ModelRuleAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.ToolsInUnstableOrder,
        title: "Tools in an unstable order",
        messageFormat: "The request's tools come from {0}, whose order is not guaranteed; tools are the start of the cached prefix, so a different order misses the prompt cache; order them by name",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Providers cache tools first, byte for byte: the tool list must be in the same order on every call.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ToolsInUnstableOrder));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        // Analysed per member body: a tool list is usually built a few statements before the call, and a
        // diagnostic there stays local to the member (so IDEs offer the fix). One options object can serve
        // several calls: each source is reported once.
        var reports = new OncePerBodyReports();
        start.RegisterOperationBlockAction(block =>
            reports.ForEachModelInvocation(block, callSites, promptSenders: false, (invocation, firstReport) => Analyze(block, invocation, callSites, firstReport)));
    }

    private static void Analyze(OperationBlockAnalysisContext context, IInvocationOperation invocation, ModelCallSiteCatalog callSites, System.Func<Location, bool> firstReport)
    {
        if (!callSites.TryGetCallSite(invocation, out var callSite))
        {
            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
        bool includeInsertionOrdered = RuleOptions.InsertionOrderedCollections.GetBoolean(options);
        foreach (var source in callSite.ToolSources)
        {
            if (UnorderedEnumeration.Find(source, includeInsertionOrdered) is { } unordered
                && unordered.Operation.Syntax.GetLocation() is { IsInSource: true } location
                && firstReport(location))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, unordered.Description));
            }
        }
    }
}
