using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analyzers;

/// <summary>What the cache-breakpoint rules (TL2003–TL2005) share: the call sites that carry breakpoints.</summary>
internal static class CacheRuleContext
{
    /// <summary>The call site of an invocation that sets at least one explicit cache breakpoint.</summary>
    public static bool TryGetCallSiteWithBreakpoints(OperationAnalysisContext context, ModelCallSiteCatalog callSites, out ModelCallSite callSite) =>
        callSites.TryGetCallSite((IInvocationOperation)context.Operation, out callSite) && callSite.CacheMarkers.Count > 0;

    /// <summary>The prompt text of the parts a breakpoint ends (parts 0 to its index).</summary>
    public static IReadOnlyList<PromptText> Prefix(ModelCallSite callSite, CacheMarker marker) =>
        callSite.PromptParts.Take(marker.PartIndex + 1).Select(part => PromptTextBuilder.Build(part.Text)).ToArray();

    /// <summary>True for a breakpoint on a prompt block (not the tools, not the request-level one).</summary>
    public static bool IsOnPromptBlock(ModelCallSite callSite, CacheMarker marker) =>
        marker.PartIndex >= 0 && marker.PartIndex < callSite.PromptParts.Count;
}
