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
        messageFormat: "{0} {1} and comes before {2}, {3}; {4}",
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
        // Read from the model catalog on first use: a project whose calls send no prompt never builds the catalog.
        var smallestMinimum = new System.Lazy<int?>(() => SmallestConfirmedMinimum(callSites));
        start.RegisterOperationBlockAction(block =>
            reports.ForEachModelInvocation(block, callSites, promptSenders: true, (invocation, firstReport) => Analyze(block, invocation, callSites, smallestMinimum, firstReport)));
    }

    private static void Analyze(OperationBlockAnalysisContext context, IInvocationOperation invocation, ModelCallSiteCatalog callSites, System.Lazy<int?> smallestMinimum, System.Func<Location, bool> firstReport)
    {
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
        if (callSites.TryGetCallSite(invocation, out var callSite) || callSites.TryGetRequestDefinition(invocation, out callSite))
        {
            if (callSite.PromptParts.Count > 0)
            {
                var texts = callSite.PromptParts.Select(PromptTextBuilder.Build).ToList();
                var check = new PromptCheck(context, callSite, callSites, options, smallestMinimum, firstReport, _ => true);
                Analyze(check, texts, ReportedByBreakpointRule(callSite, texts));
            }

            foreach (var rewrite in callSites.FirstMessageRewrites(callSite))
            {
                ReportRewrite(context, rewrite, firstReport);
            }

            return;
        }

        // A method of this compilation that sends its parameter as a prompt: the text this call gives it is judged
        // here, where the fix belongs. TL2004 sees only the method's own text, so it reports none of these values.
        foreach (var forwarded in callSites.PromptsSentThrough(invocation))
        {
            var check = new PromptCheck(context, forwarded.CallSite, callSites, options, smallestMinimum, firstReport, forwarded.IsGivenByCall, forwarded: true);
            Analyze(check, forwarded.Parts.ToList(), new HashSet<SyntaxNode>());
        }
    }

    /// <summary>What one prompt is checked with: the call it is sent by, the options, and which of its values this
    /// check reports (all of them, or those a call of a sending method gave).</summary>
    private sealed class PromptCheck
    {
        public PromptCheck(OperationBlockAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites, AnalyzerConfigOptions options,
            System.Lazy<int?> smallestMinimum, System.Func<Location, bool> firstReport, System.Func<PromptSegment, bool> isReported, bool forwarded = false)
        {
            _forwarded = forwarded;
            Context = context;
            CallSite = callSite;
            FirstReport = firstReport;
            IsReported = isReported;
            Encoding = TokenCounter.EncodingFor(callSite.Model?.Id);
            Threshold = (int)RuleOptions.MinStaticTokens.GetWholeNumber(options);
            CacheMinimum = VolatileValueBeforeCacheablePrefixAnalyzer.CacheMinimum(callSite, callSites, smallestMinimum);

            // Below the model's own minimum the text after the value is not cached wherever the value goes.
            KnownModelMinimum = callSite.Model?.Id is { } id && callSites.Models.Find(id)?.MinCacheablePrefixTokens is { } minimum ? minimum : null;
        }

        public OperationBlockAnalysisContext Context { get; }

        public ModelCallSite CallSite { get; }

        public System.Func<Location, bool> FirstReport { get; }

        public System.Func<PromptSegment, bool> IsReported { get; }

        private readonly bool _forwarded;

        /// <summary>
        /// The text after a value that counts for it: all of it, except for a per-request value a caller passes,
        /// whose count stops where the caller's text ends. Static text the sending method adds after its parameter
        /// is the method's layout, which the method is reported for with its own parameter.
        /// </summary>
        public System.Func<PromptSegment, bool> CountsAfter(PromptSegment value) =>
            _forwarded && value.Volatility == Volatility.PerRequest ? IsReported : static _ => true;

        public TokenEncoding Encoding { get; }

        public int Threshold { get; }

        public int? CacheMinimum { get; }

        public int? KnownModelMinimum { get; }
    }

    private static void Analyze(PromptCheck check, List<PromptText> texts, HashSet<SyntaxNode> reportedByTl2004)
    {
        // With several messages the last is the request's own question: values there sit after every earlier
        // prefix. A single-message prompt is its own prefix.
        int threshold = System.Math.Max(check.Threshold, check.KnownModelMinimum ?? 0);
        int prefixParts = texts.Count > 1 ? texts.Count - 1 : 1;
        for (int part = 0; part < prefixParts; part++)
        {
            var segments = texts[part].Segments;
            for (int index = 0; index < segments.Count; index++)
            {
                var segment = segments[index];
                if (!segment.IsVolatile || reportedByTl2004.Contains(segment.Syntax) || !check.IsReported(segment))
                {
                    continue;
                }

                string staticAfter = StaticTextAfter(texts, part, index, prefixParts, check.CountsAfter(segment), out bool allInOneString);
                if (!TokenCounter.IsAtLeast(staticAfter, threshold, check.Encoding, out var count))
                {
                    continue;
                }

                // The fix moves the value within its own string: offered only when that string holds all the text
                // the value keeps from being cached.
                bool fixable = allInOneString && InterpolatedString(segment.Syntax) is { } owner
                    && segments.Skip(index + 1).Where(s => s.Volatility == Volatility.Static)
                        .All(s => s.Syntax.SyntaxTree == owner.SyntaxTree && owner.Span.Contains(s.Syntax.Span));
                Report(check.Context, segment, count, MoveValueAdvice, fixable, check.FirstReport);
            }
        }

        if (texts.Count > 1)
        {
            AnalyzeLastMessage(check, texts[texts.Count - 1], reportedByTl2004);
        }
    }

    /// <summary>
    /// The first message rewritten on every turn of a loop that sends the whole, growing conversation after it: the
    /// history is never read from the cache, whatever the first message's length. Reported at the first value in the
    /// new text that changes every call, or that the loop computes (a search result, the user's latest message); a
    /// value that changes once a day, or a parameter the loop does not change, writes the same text every turn.
    /// </summary>
    private static void ReportRewrite(OperationBlockAnalysisContext context, FirstMessageRewrite rewrite, System.Func<Location, bool> firstReport)
    {
        var text = rewrite.Part.Text;
        if (text.SemanticModel is not { } semanticModel)
        {
            return;
        }

        var changing = PromptTextBuilder.Build(rewrite.Part).Segments.FirstOrDefault(s =>
            s.Volatility == Volatility.PerCall
            || (s.Volatility is Volatility.PerRequest or Volatility.Unknown && s.Syntax.SyntaxTree == rewrite.Loop.SyntaxTree && rewrite.ReadsTurnValue(s.Syntax, semanticModel)));
        if (changing is null)
        {
            return;
        }

        // The value where the new text writes it: a value traced to a local's initializer is reported at the
        // interpolation that reads the local, else at the new text.
        bool inText = changing.Syntax.SyntaxTree == text.Syntax.SyntaxTree && text.Syntax.Span.Contains(changing.Syntax.Span);
        var at = inText ? changing.Syntax
            : text.Syntax.DescendantNodesAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InterpolationSyntax>()
                .Select(hole => (SyntaxNode)hole.Expression).FirstOrDefault(value => rewrite.ReadsTurnValue(value, semanticModel))
              ?? text.Syntax;
        var location = at.GetLocation();
        if (!location.IsInSource || !firstReport(location))
        {
            return;
        }

        string shown = at.ToString();
        string subject = changing.Volatility == Volatility.PerCall ? $"'{changing.Reason}'"
            : at != text.Syntax && shown.Length <= 60 && shown.IndexOf('\n') < 0 ? $"'{shown}'"
            : "The first message's new text";
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, subject, "changes every turn",
            "the conversation history (it rewrites the first message)", "so the provider cannot cache the history", "send it with the latest user message instead"));
    }

    private const string MoveValueAdvice = "move it after the static text";

    /// <summary>
    /// The request's own message holding a value and then a large static block (the data at the top of an
    /// evaluator's rubric): the block is sent again in full on every call. Reported when the block alone reaches
    /// the model's cache minimum; moving the value to the end of its string would help too, but the usual remedy
    /// is to send the rubric as the system prompt, so no fix is offered.
    /// </summary>
    private static void AnalyzeLastMessage(PromptCheck check, PromptText last, HashSet<SyntaxNode> reportedByTl2004)
    {
        var segments = last.Segments;
        if (!segments.Any(s => s.IsVolatile) || check.CacheMinimum is not { } minimum)
        {
            return;
        }

        int threshold = System.Math.Max(check.Threshold, minimum);
        for (int index = 0; index < segments.Count; index++)
        {
            var segment = segments[index];
            if (!segment.IsVolatile || reportedByTl2004.Contains(segment.Syntax) || !check.IsReported(segment))
            {
                continue;
            }

            var staticAfter = new StringBuilder();
            var counts = check.CountsAfter(segment);
            for (int i = index + 1; i < segments.Count && segments[i].Volatility == Volatility.Static && counts(segments[i]); i++)
            {
                staticAfter.Append(segments[i].Text);
            }

            if (TokenCounter.IsAtLeast(staticAfter.ToString(), threshold, check.Encoding, out var count))
            {
                Report(check.Context, segment, count, "move that text into the system prompt or before the value", fixable: false, check.FirstReport);
            }
        }
    }

    /// <summary>
    /// The shortest prefix the call's model caches: the catalog's figure for a known model (none for a model the
    /// catalog says does not cache), else the smallest confirmed figure when the SDK or provider caches prompts
    /// (OpenAI automatically, Anthropic with a breakpoint), else null: whether anything is cached is not known.
    /// </summary>
    private static int? CacheMinimum(ModelCallSite callSite, ModelCallSiteCatalog callSites, System.Lazy<int?> smallestMinimum)
    {
        if (callSite.Model is { Service: ServiceKind.CustomEndpoint })
        {
            return null;
        }

        if (callSite.Model?.Id is { } id && callSites.Models.Find(id) is { } model)
        {
            return model.MinCacheablePrefixTokens;
        }

        bool caches = callSite.Sdk is LlmSdk.OpenAIChat or LlmSdk.OpenAIResponses or LlmSdk.Anthropic
            || callSite.Model?.Provider is TokenLint.Analysis.Catalog.ModelProvider.OpenAI or TokenLint.Analysis.Catalog.ModelProvider.Anthropic;
        return caches ? smallestMinimum.Value : null;
    }

    private static int? SmallestConfirmedMinimum(ModelCallSiteCatalog callSites)
    {
        int? smallest = null;
        foreach (var model in callSites.Models.Models)
        {
            if (model is { MinCacheablePrefixTokens: { } minimum, Unconfirmed: false } && (smallest is null || minimum < smallest))
            {
                smallest = minimum;
            }
        }

        return smallest;
    }

    /// <param name="fixable">True when the value's own string holds the text after it, where the fix can move the value.</param>
    private static void Report(OperationBlockAnalysisContext context, PromptSegment segment, TokenCount count, string advice, bool fixable, System.Func<Location, bool> firstReport)
    {
        var location = segment.Syntax.GetLocation();
        if (!location.IsInSource || !firstReport(location))
        {
            return;
        }

        // "'DateTime.UtcNow' changes on every call", "parameter 'customer' changes per request".
        var (subject, what, consequence) = segment.Volatility switch
        {
            Volatility.PerCall => ($"'{segment.Reason}'", "changes on every call", "so the provider cannot cache that text"),
            Volatility.Daily => ($"'{segment.Reason}' (a date)", "changes every day", "so that text is written to the cache again every day"),
            _ => (segment.Reason ?? "a parameter", "changes per request", "so that text is cached once per distinct value instead of once for every caller"),
        };

        // A value in a helper method is outside this block: the IDE computes such a diagnostic only with the whole
        // project, and offers no fix for it, so none is promised.
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (fixable && context.OperationBlocks.Any(root => root.Syntax.SyntaxTree == location.SourceTree && root.Syntax.Span.Contains(location.SourceSpan)))
        {
            properties = properties.Add(FixableProperty, "true");
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, subject, what, $"{count} tokens of static prompt text", consequence, advice));
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
    /// another volatile value, a part the code does not show) or does not <paramref name="counts"/>: what moving the
    /// value alone makes cacheable.
    /// </summary>
    private static string StaticTextAfter(List<PromptText> texts, int part, int index, int prefixParts, System.Func<PromptSegment, bool> counts, out bool allInSamePart)
    {
        var builder = new StringBuilder();
        allInSamePart = true;
        var segments = texts[part].Segments;
        for (int i = index + 1; i < segments.Count; i++)
        {
            if (segments[i].Volatility != Volatility.Static || !counts(segments[i]))
            {
                return builder.ToString();
            }

            builder.Append(segments[i].Text);
        }

        for (int later = part + 1; later < prefixParts; later++)
        {
            foreach (var segment in texts[later].Segments)
            {
                if (segment.Volatility != Volatility.Static || !counts(segment))
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
