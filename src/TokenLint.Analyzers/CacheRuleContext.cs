using System.Collections.Generic;
using System.Linq;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analyzers;

/// <summary>What the cache-breakpoint rules (TL2003–TL2005) share: the call sites that carry breakpoints.</summary>
internal static class CacheRuleContext
{
    /// <summary>The prompt text of the parts a breakpoint ends (parts 0 to its index).</summary>
    public static IReadOnlyList<PromptText> Prefix(ModelCallSite callSite, CacheMarker marker) =>
        callSite.PromptParts.Take(marker.PartIndex + 1).Select(PromptTextBuilder.Build).ToArray();

    /// <summary>True for a breakpoint on a prompt block (not the tools, not the request-level one).</summary>
    public static bool IsOnPromptBlock(ModelCallSite callSite, CacheMarker marker) =>
        marker.PartIndex >= 0 && marker.PartIndex < callSite.PromptParts.Count;
}
