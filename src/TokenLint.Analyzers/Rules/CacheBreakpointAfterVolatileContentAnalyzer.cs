using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL2004: an Anthropic cache breakpoint whose prefix holds a value that changes on every call. Each call then
/// writes a new cache entry (1.25x the input price, 2x for the 1-hour TTL) that no later call can read.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CacheBreakpointAfterVolatileContentAnalyzer : ModelCallAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.CacheBreakpointAfterVolatileContent,
        title: "Cache breakpoint after volatile content",
        messageFormat: "This cache breakpoint comes after '{0}', which changes on every call: every call writes the cache at {1} the input price and no call reads it; move the value after the breakpoint",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A cache entry whose prefix changes on every call is written and never read: caching then costs more than no caching.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CacheBreakpointAfterVolatileContent));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites)
    {
        if (callSite.CacheMarkers.Count == 0)
        {
            return;
        }

        foreach (var marker in callSite.CacheMarkers.Where(m => CacheRuleContext.IsOnPromptBlock(callSite, m)))
        {
            // Only per-call values: a per-request value (a customer profile) before a breakpoint is a deliberate
            // per-session cache entry, read again by that session's later calls.
            var volatileSegment = CacheRuleContext.Prefix(callSite, marker)
                .SelectMany(text => text.Segments)
                .FirstOrDefault(segment => segment.Volatility == Volatility.PerCall);
            if (volatileSegment is not null)
            {
                string premium = marker.Ttl switch { CacheTtl.OneHour => "2x", CacheTtl.FiveMinutes => "1.25x", _ => "1.25x to 2x" };
                context.ReportDiagnostic(Diagnostic.Create(Rule, marker.Syntax.GetLocation(), new[] { volatileSegment.Syntax.GetLocation() }, volatileSegment.Reason, premium));
            }
        }
    }
}
