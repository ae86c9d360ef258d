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
public sealed class VolatileValueBeforeCacheablePrefixAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.VolatileValueBeforeCacheablePrefix,
        title: "Volatile value before the cacheable prefix",
        messageFormat: "{0} {1} and comes before {2} tokens of static prompt text, so the provider cannot cache that text; move it after the static text",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Prompt caches match the prompt's prefix byte for byte: a value that changes before the static text makes every call a cache miss.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.VolatileValueBeforeCacheablePrefix));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (ModelRuleContext.TryCreate(start.Compilation, start.Options, start.CancellationToken) is not { } callSites)
            {
                return;
            }

            // Analysed per member body, so that a prompt built a few statements before the call is reported
            // locally to the member (IDEs then offer the fix). A prompt sent by several calls is reported once at
            // its value: per body for values in it, per compilation for values in shared fields.
            var reportedOutsideBodies = new ConcurrentDictionary<Location, bool>();
            start.RegisterOperationBlockAction(block =>
            {
                var reportedInBody = new HashSet<Location>();
                foreach (var invocation in block.OperationBlocks.SelectMany(root => root.DescendantsAndSelf()).OfType<IInvocationOperation>())
                {
                    Analyze(block, invocation, callSites, location =>
                        block.OperationBlocks.Any(root => root.Syntax.SyntaxTree == location.SourceTree && root.Syntax.Span.Contains(location.SourceSpan))
                            ? reportedInBody.Add(location)
                            : reportedOutsideBodies.TryAdd(location, true));
                }
            });
        });
    }

    private static void Analyze(OperationBlockAnalysisContext context, IInvocationOperation invocation, ModelCallSiteCatalog callSites, System.Func<Location, bool> firstReport)
    {
        if (!callSites.TryGetCallSite(invocation, out var callSite) || callSite.PromptParts.Count == 0)
        {
            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
        int threshold = (int)RuleOptions.MinStaticTokens.GetWholeNumber(options);
        var encoding = TokenCounter.EncodingFor(callSite.Model?.Id);
        var texts = callSite.PromptParts.Select(part => PromptTextBuilder.Build(part.Text)).ToList();

        // With several messages the last is the request's own question: values there sit after every earlier
        // prefix. A single-message prompt is its own prefix.
        int prefixParts = texts.Count > 1 ? texts.Count - 1 : 1;
        for (int part = 0; part < prefixParts; part++)
        {
            var segments = texts[part].Segments;
            for (int index = 0; index < segments.Count; index++)
            {
                var segment = segments[index];
                if (!segment.IsVolatile)
                {
                    continue;
                }

                string staticAfter = StaticTextAfter(texts, part, index, prefixParts);
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
                var (subject, what) = segment.Volatility == Volatility.PerCall
                    ? ($"'{segment.Reason}'", "changes on every call")
                    : (segment.Reason ?? "a parameter", "changes per request");
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, subject, what, count.ToString()));
            }
        }
    }

    private static string StaticTextAfter(List<PromptText> texts, int part, int index, int prefixParts)
    {
        var builder = new StringBuilder(texts[part].StaticTextFrom(index + 1));
        for (int later = part + 1; later < prefixParts; later++)
        {
            builder.Append(texts[later].StaticText);
        }

        return builder.ToString();
    }
}
