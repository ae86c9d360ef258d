using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL2005: a breakpoint layout Anthropic's API rejects or ignores: more than 4 breakpoints in one request (HTTP 400,
/// the request-level one included), or a 1-hour breakpoint after a 5-minute one (longer TTLs must come first).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidCacheBreakpointLayoutAnalyzer : ModelCallAnalyzer
{
    public const int MaxBreakpoints = 4;

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.InvalidCacheBreakpointLayout,
        title: "Cache breakpoint layout the API rejects",
        messageFormat: "{0}",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Anthropic accepts at most 4 cache breakpoints per request, and longer-lived breakpoints must come before shorter ones.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.InvalidCacheBreakpointLayout));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites)
    {
        if (callSite.CacheMarkers.Count == 0)
        {
            return;
        }

        // Markers set only under a condition may be absent at run time: they do not count towards the limit.
        var markers = callSite.CacheMarkers.Where(m => !m.IsConditional).ToArray();
        bool seenFiveMinutes = false;
        for (int index = 0; index < markers.Length; index++)
        {
            var marker = markers[index];
            if (index == MaxBreakpoints)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, marker.Syntax.GetLocation(),
                    $"This request sets {markers.Length} cache breakpoints; the API accepts at most {MaxBreakpoints} and rejects the request with HTTP 400"));
            }

            if (marker.Ttl == CacheTtl.OneHour && seenFiveMinutes)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, marker.Syntax.GetLocation(),
                    "This 1-hour cache breakpoint comes after a 5-minute one; longer-lived breakpoints must come first"));
            }

            seenFiveMinutes |= marker.Ttl == CacheTtl.FiveMinutes;
        }
    }
}
