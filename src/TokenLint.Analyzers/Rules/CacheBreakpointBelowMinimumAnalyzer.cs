using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Configuration;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL2003: an Anthropic cache breakpoint on a prefix shorter than the model's minimum cacheable length. The API
/// accepts it without an error and caches nothing: every call is billed in full. Also reported on a
/// <c>[CachedPrompt]</c> type for a Claude model whose constant static prefix is that short: its generated builder
/// places no breakpoint on the static prefix (the session breakpoint stays), and nothing else tells the user.
/// </summary>
/// <remarks>
/// <c>[CachedPrompt]</c> types for OpenAI models are not reported: OpenAI caches automatically over the whole
/// request, so there is no breakpoint for the generator to leave out, and the session text, tools and history
/// after the static prefix count towards its 1,024 tokens.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CacheBreakpointBelowMinimumAnalyzer : ModelRuleAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.CacheBreakpointBelowMinimum,
        title: "Cache breakpoint below the model's minimum",
        messageFormat: "This cache breakpoint ends a prefix of {0} tokens, below the {1}-token minimum that '{2}' caches: this breakpoint caches nothing, and the prefix is billed in full on every call",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Below the minimum cacheable length the provider silently caches nothing.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CacheBreakpointBelowMinimum));

    private static readonly DiagnosticDescriptor StaticPrefixRule = new(
        RuleIdentifiers.CacheBreakpointBelowMinimum,
        title: "Cache breakpoint below the model's minimum",
        messageFormat: "The static prefix of '{0}' has {1} tokens, below the {2}-token minimum that '{3}' caches: its builder places no breakpoint on the static prefix, which is billed in full on every call unless the session text makes the prefix long enough to cache",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Below the minimum cacheable length the provider silently caches nothing, so the [CachedPrompt] generator places no breakpoint on the static prefix; the session breakpoint, whose prefix's length is known only at run time, stays.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CacheBreakpointBelowMinimum));

    private static readonly DiagnosticDescriptor ProviderFloorRule = new(
        RuleIdentifiers.CacheBreakpointBelowMinimum,
        title: "Cache breakpoint below the model's minimum",
        messageFormat: "This cache breakpoint ends a prefix of {0} tokens, below {1} tokens, the smallest minimum cacheable prefix of any {2} model in the catalog ('{3}'): the code does not name the model, but whichever {2} model it is, this breakpoint caches nothing, and the prefix is billed in full on every call",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Below the minimum cacheable length the provider silently caches nothing; a prefix shorter than every model's minimum caches nothing whatever the model.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CacheBreakpointBelowMinimum));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, StaticPrefixRule, ProviderFloorRule);

    protected override bool StartCompilation(CompilationStartAnalysisContext start)
    {
        // [CachedPrompt] types need no SDK reference: the prompt may be sent by any client.
        var cachedPrompt = start.Compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName);
        var section = start.Compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
        if (cachedPrompt is not null && section is not null)
        {
            // The catalog is built only if a [CachedPrompt] type names a model.
            var models = ModelCatalogProvider.Get(start.Options, start.CancellationToken);
            var promptFile = start.Compilation.GetTypeByMetadataName(PromptSections.PromptFileAttributeName);
            start.RegisterSymbolAction(symbol => AnalyzeCachedPrompt(symbol, cachedPrompt, section, promptFile, models), SymbolKind.NamedType);
        }

        return true;
    }

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites) =>
        start.RegisterOperationAction(
            operation =>
            {
                if (callSites.TryGetCallSite((IInvocationOperation)operation.Operation, out var callSite))
                {
                    AnalyzeCall(operation, callSite, callSites);
                }
            },
            OperationKind.Invocation);

    private static void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites)
    {
        // Tool definitions come first in the prefix and are not counted here: with tools, stay quiet.
        if (callSite.CacheMarkers.Count == 0
            || callSite.HasTools
            || JudgedBy(callSite, callSites.Models, out bool isProviderFloor) is not { MinCacheablePrefixTokens: { } minimum } model)
        {
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

            // Short only when counted with the tokenizer and short even with Claude's margin (CacheableLength).
            var count = TokenCounter.Count(string.Concat(prefix.Select(text => text.StaticText)), TokenCounter.EncodingFor(model.Id));
            if (CacheableLength.IsKnownShort(count, minimum))
            {
                var estimate = new TokenCount(count.Value, isEstimate: true).ToString();
                var limit = minimum.ToString("N0", CultureInfo.InvariantCulture);
                context.ReportDiagnostic(isProviderFloor
                    ? Diagnostic.Create(ProviderFloorRule, marker.Syntax.GetLocation(), estimate, limit, model.Provider.ToString(), model.Id)
                    : Diagnostic.Create(Rule, marker.Syntax.GetLocation(), estimate, limit, model.Id));
            }

            // Later breakpoints end longer prefixes; the first one that is not known short settles the rest.
            else
            {
                return;
            }
        }
    }

    /// <summary>
    /// The model whose minimum the call is judged by: its own, when the code names a model with a confirmed minimum
    /// (unconfirmed minimums, the newest models', are not facts to report against). When the code does not name the
    /// model (configuration, an environment variable) but the client reaches only one provider's models, the model of
    /// that provider with the smallest minimum in the catalog, confirmed or not: a prefix below it is too short for
    /// any of them. A default the configuration falls back to is never taken for the model.
    /// </summary>
    private static ModelInfo? JudgedBy(ModelCallSite callSite, ModelCatalog models, out bool isProviderFloor)
    {
        isProviderFloor = false;
        if (callSite.Model?.Id is { } modelId)
        {
            return models.Find(modelId) is { MinCacheablePrefixTokens: not null, Unconfirmed: false } model ? model : null;
        }

        if (callSite.OnlyProvider == ModelProvider.Unknown)
        {
            return null;
        }

        isProviderFloor = true;
        return models.SmallestCacheMinimum(callSite.OnlyProvider);
    }

    private static void AnalyzeCachedPrompt(SymbolAnalysisContext context, INamedTypeSymbol cachedPromptAttribute, INamedTypeSymbol sectionAttribute, INamedTypeSymbol? promptFileAttribute, EffectiveModelCatalog models)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var cachedPrompt = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, cachedPromptAttribute));
        if (cachedPrompt?.NamedArguments.FirstOrDefault(a => a.Key == "Model").Value.Value is not string modelId
            || GetsBuilder(type, context.CancellationToken) is not { } identifier
            || !CacheableLength.IsStaticPrefixKnownShort(
                models.Catalog.Find(modelId),
                // Prompt files count as the generator lays them out; one that is not found is left out (TL9104).
                PromptSections.ConstantStaticParts(type, sectionAttribute, promptFileAttribute, context.CancellationToken) is { } parts
                    ? PromptSections.ConstantStaticPrefix(parts, path => PromptSections.PromptFileSectionText(context.Options.AdditionalFiles, path, context.CancellationToken))
                    : null,
                out var count,
                out int minimum))
        {
            // No model, no builder (TL9101 says why), or a prefix not known to be short (another provider, an
            // unconfirmed minimum, a computed section, a character estimate, a count near the minimum): the
            // generator keeps its breakpoints, by the same decision.
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            StaticPrefixRule,
            identifier,
            type.Name,
            new TokenCount(count.Value, isEstimate: true).ToString(),
            minimum.ToString("N0", CultureInfo.InvariantCulture),
            modelId));
    }

    /// <summary>Where the type is named, when the generator builds it (<see cref="PromptSections.GetsBuilder"/>).</summary>
    private static Location? GetsBuilder(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        PromptSections.GetsBuilder(type, cancellationToken)
        && type.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
            ? declaration.Identifier.GetLocation()
            : null;
}
