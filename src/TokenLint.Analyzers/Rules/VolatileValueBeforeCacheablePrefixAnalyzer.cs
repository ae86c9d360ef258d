using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL2001: a value that changes on every call (the clock, a GUID) or per request (a parameter) placed before
/// static prompt text big enough to cache. Providers cache the prompt's prefix byte for byte, so everything after
/// the value is billed in full on every call, and with explicit caching every call also pays a cache write.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VolatileValueBeforeCacheablePrefixAnalyzer : ModelRuleAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.VolatileValueBeforeCacheablePrefix,
        title: "Volatile value before the cacheable prefix",
        messageFormat: "{0} {1} and comes before {2} tokens of static prompt text, {3}; move it after the static text",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Prompt caches match the prompt's prefix byte for byte: a value that changes before the static text makes every call a cache miss.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.VolatileValueBeforeCacheablePrefix));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        // Analysed per member body, so that a prompt built a few statements before the call is reported
        // locally to the member (IDEs then offer the fix). A prompt sent by several calls is reported once at
        // its value: per body for values in it, per compilation for values in shared fields.
        var reports = new OncePerBodyReports();
        start.RegisterOperationBlockAction(block =>
            reports.ForEachInvocation(block, (invocation, firstReport) => Analyze(block, invocation, callSites, firstReport)));
    }

    private static void Analyze(OperationBlockAnalysisContext context, IInvocationOperation invocation, ModelCallSiteCatalog callSites, System.Func<Location, bool> firstReport)
    {
        if (!callSites.TryGetCallSite(invocation, out var callSite) && !callSites.TryGetRequestDefinition(invocation, out callSite)
            || callSite.PromptParts.Count == 0)
        {
            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
        int threshold = (int)RuleOptions.MinStaticTokens.GetWholeNumber(options);
        var encoding = TokenCounter.EncodingFor(callSite.Model?.Id);
        var texts = callSite.PromptParts.Select(PromptTextBuilder.Build).ToList();

        // With several messages the last is the request's own question: values there sit after every earlier
        // prefix. A single-message prompt is its own prefix.
        int prefixParts = texts.Count > 1 ? texts.Count - 1 : 1;
        var reportedByTl2004 = ReportedByBreakpointRule(callSite, texts);
        for (int part = 0; part < prefixParts; part++)
        {
            var segments = texts[part].Segments;
            for (int index = 0; index < segments.Count; index++)
            {
                var segment = segments[index];
                if (!segment.IsVolatile || reportedByTl2004.Contains(segment.Syntax))
                {
                    continue;
                }

                string staticAfter = StaticTextAfter(texts, part, index, prefixParts, out bool allInOneString);
                if (!TokenCounter.IsAtLeast(staticAfter, threshold, encoding, out var count))
                {
                    continue;
                }

                var location = segment.Syntax.GetLocation();
                if (!location.IsInSource || !firstReport(location))
                {
                    continue;
                }

                // "'DateTime.UtcNow' changes on every call", "parameter 'customer' changes per request".
                var (subject, what, consequence) = segment.Volatility switch
                {
                    Volatility.PerCall => ($"'{segment.Reason}'", "changes on every call", "so the provider cannot cache that text"),
                    Volatility.Daily => ($"'{segment.Reason}' (a date)", "changes every day", "so that text is written to the cache again every day"),
                    _ => (segment.Reason ?? "a parameter", "changes per request", "so that text is cached once per distinct value instead of once for every caller"),
                };

                // The fix moves the value within its own string: offered only when that string holds all the text
                // the value keeps from being cached.
                var properties = ImmutableDictionary<string, string?>.Empty;
                if (allInOneString && InterpolatedString(segment.Syntax) is { } owner
                    && segments.Skip(index + 1).Where(s => s.Volatility == Volatility.Static).All(s => owner.Span.Contains(s.Syntax.Span)))
                {
                    properties = properties.Add(FixableProperty, "true");
                }

                context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, subject, what, count.ToString(), consequence));
            }
        }
    }

    /// <summary>
    /// The per-call values TL2004 reports: the first in the prefix of each explicit breakpoint. That rule names the
    /// same value with the breakpoint's cost and has the fix that moves it, so TL2001 stays quiet about it rather
    /// than report one problem twice (and leave `dotnet format --diagnostics TL2001` a diagnostic it cannot fix).
    /// </summary>
    private static HashSet<SyntaxNode> ReportedByBreakpointRule(ModelCallSite callSite, List<PromptText> texts)
    {
        var reported = new HashSet<SyntaxNode>();
        foreach (var marker in callSite.CacheMarkers)
        {
            if (!CacheRuleContext.IsOnPromptBlock(callSite, marker))
            {
                continue;
            }

            var first = texts.Take(marker.PartIndex + 1).SelectMany(text => text.Segments).FirstOrDefault(s => s.Volatility == Volatility.PerCall);
            if (first is not null)
            {
                reported.Add(first.Syntax);
            }
        }

        return reported;
    }

    /// <summary>Diagnostic property: the fix can move the value to the end of its own interpolated string.</summary>
    public const string FixableProperty = "MovableWithinString";

    private static SyntaxNode? InterpolatedString(SyntaxNode syntax) =>
        syntax.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.InterpolatedStringExpressionSyntax>();

    /// <summary>
    /// The static text that would follow the value up to the next thing that is not static (an unknown value,
    /// another volatile value, a part the code does not show): what moving the value alone makes cacheable.
    /// </summary>
    private static string StaticTextAfter(List<PromptText> texts, int part, int index, int prefixParts, out bool allInSamePart)
    {
        var builder = new StringBuilder();
        allInSamePart = true;
        var segments = texts[part].Segments;
        for (int i = index + 1; i < segments.Count; i++)
        {
            if (segments[i].Volatility != Volatility.Static)
            {
                return builder.ToString();
            }

            builder.Append(segments[i].Text);
        }

        for (int later = part + 1; later < prefixParts; later++)
        {
            foreach (var segment in texts[later].Segments)
            {
                if (segment.Volatility != Volatility.Static)
                {
                    return builder.ToString();
                }

                allInSamePart = false;
                builder.Append(segment.Text);
            }
        }

        return builder.ToString();
    }
}
