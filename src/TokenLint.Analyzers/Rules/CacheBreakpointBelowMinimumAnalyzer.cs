using System.Collections.Generic;
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
/// places no breakpoint, and nothing else tells the user.
/// </summary>
/// <remarks>
/// <c>[CachedPrompt]</c> types for OpenAI models are not reported: OpenAI caches automatically over the whole
/// request, so there is no breakpoint for the generator to leave out, and the session text, tools and history
/// after the static prefix count towards its 1,024 tokens.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CacheBreakpointBelowMinimumAnalyzer : DiagnosticAnalyzer
{
    /// <summary>
    /// Claude counts are o200k counts, and Claude's tokenizer usually yields more tokens for the same text, so a
    /// prefix is reported only when even a count this much higher would stay under the minimum. The
    /// [CachedPrompt] generator leaves its breakpoints out by the same margin.
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

    private static readonly DiagnosticDescriptor StaticPrefixRule = new(
        RuleIdentifiers.CacheBreakpointBelowMinimum,
        title: "Cache breakpoint below the model's minimum",
        messageFormat: "The static prefix of '{0}' has {1} tokens, below the {2}-token minimum that '{3}' caches: its builder places no cache breakpoint, and the prompt is billed in full on every call",
        RuleCategories.PromptCaching,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Below the minimum cacheable length the provider silently caches nothing, so the [CachedPrompt] generator places no breakpoint.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CacheBreakpointBelowMinimum));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, StaticPrefixRule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!ProjectSwitches.IsEnabled(start.Options))
            {
                return;
            }

            // [CachedPrompt] types need no SDK reference: the prompt may be sent by any client.
            var cachedPrompt = start.Compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName);
            var section = start.Compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
            if (cachedPrompt is not null && section is not null)
            {
                var catalog = ModelCatalogProvider.Get(start.Options, start.CancellationToken).Catalog;
                start.RegisterSymbolAction(symbol => AnalyzeCachedPrompt(symbol, cachedPrompt, section, catalog), SymbolKind.NamedType);
            }

            if (ModelRuleContext.TryCreate(start.Compilation, start.Options, start.CancellationToken) is { } callSites)
            {
                start.RegisterOperationAction(
                    operation =>
                    {
                        if (callSites.TryGetCallSite((IInvocationOperation)operation.Operation, out var callSite))
                        {
                            AnalyzeCall(operation, callSite, callSites);
                        }
                    },
                    OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites)
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

    private static void AnalyzeCachedPrompt(SymbolAnalysisContext context, INamedTypeSymbol cachedPromptAttribute, INamedTypeSymbol sectionAttribute, ModelCatalog catalog)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var cachedPrompt = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, cachedPromptAttribute));
        if (cachedPrompt?.NamedArguments.FirstOrDefault(a => a.Key == "Model").Value.Value is not string modelId
            || catalog.Find(modelId) is not { Provider: ModelProvider.Anthropic, MinCacheablePrefixTokens: { } minimum, Unconfirmed: false } model
            || GetsBuilder(type, context.CancellationToken) is not { } identifier
            || ConstantStaticPrefix(type, sectionAttribute, context.CancellationToken) is not { Length: > 0 } staticText)
        {
            // No model, another provider, an unconfirmed minimum, no builder (TL9101 says why), or a static prefix
            // with a part computed at run time, which may make it long enough.
            return;
        }

        var count = TokenCounter.Count(staticText, TokenCounter.EncodingFor(model.Id));
        if (count.IsEstimate || count.Value * ClaudeCountMargin >= minimum)
        {
            // A character estimate is too rough to call a prefix too short; near the minimum, Claude's own count
            // may reach it, and the generator keeps its breakpoints.
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

    /// <summary>Where the type is named, when the generator builds it: a top-level type, partial in every declaration.</summary>
    private static Location? GetsBuilder(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.ContainingType is not null)
        {
            return null;
        }

        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
        return declarations.Count > 0 && declarations.All(d => d.Modifiers.Any(SyntaxKind.PartialKeyword))
            ? declarations[0].Identifier.GetLocation()
            : null;
    }

    /// <summary>
    /// The static sections' text as the generator lays it out (by Order, then declaration order, non-empty texts
    /// joined by its separator), or null when a static section is anything but text known at build time: a
    /// property, a method, a field initialised at run time, a tool list.
    /// </summary>
    private static string? ConstantStaticPrefix(INamedTypeSymbol type, INamedTypeSymbol sectionAttribute, CancellationToken cancellationToken)
    {
        var sections = new List<(int Order, int Position, string Text)>();
        foreach (var member in type.GetMembers())
        {
            var attribute = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sectionAttribute));
            if (attribute is null || PromptSections.Read(attribute) is not (PromptSections.Static, var order))
            {
                continue;
            }

            if (member is not IFieldSymbol { Type.SpecialType: SpecialType.System_String } field
                || PromptSections.ConstantText(field, cancellationToken) is not { } text)
            {
                return null;
            }

            sections.Add((order ?? int.MaxValue, sections.Count, text));
        }

        return string.Join(
            PromptSections.SectionSeparator,
            sections.OrderBy(s => s.Order).ThenBy(s => s.Position).Select(s => s.Text).Where(text => text.Length > 0));
    }
}
