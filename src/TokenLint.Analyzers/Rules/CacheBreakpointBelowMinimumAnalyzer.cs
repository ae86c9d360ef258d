using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL2003: an Anthropic cache breakpoint on a prefix shorter than the model's minimum cacheable length. The API
/// accepts it without an error and caches nothing: every call is billed in full.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CacheBreakpointBelowMinimumAnalyzer : ModelCallAnalyzer
{
    /// <summary>
    /// Claude counts are o200k counts, and Claude's tokenizer usually yields more tokens for the same text, so a
    /// prefix is reported only when even a count this much higher would stay under the minimum.
    /// </summary>
    private const double ClaudeCountMargin = 1.25;

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.CacheBreakpointBelowMinimum,
        title: "Cache breakpoint below the model's minimum",
        messageFormat: "This cache breakpoint ends a prefix of {0} tokens, below the {1}-token minimum that '{2}' caches: this breakpoint caches nothing, and the prefix is billed in full on every call",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Below the minimum cacheable length the provider silently caches nothing.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CacheBreakpointBelowMinimum));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites)
    {
        if (callSite.CacheMarkers.Count == 0
            || callSite.HasTools
            || callSite.Model?.Id is not { } modelId
            || callSites.Models.Find(modelId) is not { MinCacheablePrefixTokens: { } minimum, Unconfirmed: false })
        {
            // Unconfirmed minimums (the newest models) are not facts to report against.
            // Tool definitions come first in the prefix and are not counted here: with tools, stay quiet.
            return;
        }

        foreach (var marker in callSite.CacheMarkers.Where(m => CacheRuleContext.IsOnPromptBlock(callSite, m)))
        {
            var prefix = CacheRuleContext.Prefix(callSite, marker);
            if (prefix.Any(text => !text.IsConstant))
            {
                // Part of the prefix is only known at run time and may be long.
                continue;
            }

            var count = TokenCounter.Count(string.Concat(prefix.Select(text => text.StaticText)), TokenCounter.EncodingFor(modelId));
            if (count.IsEstimate)
            {
                // The tokenizer could not load: a character estimate is too rough to call a prefix too short.
                return;
            }

            if (count.Value * ClaudeCountMargin < minimum)
            {
                var estimate = new TokenCount(count.Value, isEstimate: true);
                context.ReportDiagnostic(Diagnostic.Create(Rule, marker.Syntax.GetLocation(), estimate.ToString(), minimum.ToString("N0", CultureInfo.InvariantCulture), modelId));
            }

            // Later breakpoints end longer prefixes; the first one that is long enough settles the rest.
            else
            {
                return;
            }
        }
    }
}
