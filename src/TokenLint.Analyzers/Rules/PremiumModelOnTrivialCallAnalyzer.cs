using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL1001: a premium model (Opus, gpt-4o, o3…) on a call whose answer is a handful of tokens: a yes/no, a label,
/// a classification. The catalog's cheaper sibling answers those as well for a fraction of the price.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PremiumModelOnTrivialCallAnalyzer : ModelCallAnalyzer
{
    /// <summary>Diagnostic property: the id the fix writes.</summary>
    public const string ReplacementProperty = "Replacement";

    /// <summary>Diagnostic property: the Anthropic <c>Model</c> enum member the fix writes, when the id was one.</summary>
    public const string ReplacementEnumMemberProperty = "ReplacementEnumMember";

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.PremiumModelOnTrivialCall,
        title: "Premium model used for a trivial call",
        messageFormat: "'{0}' is a premium model on a trivial call ({1}){2}",
        RuleCategories.ModelChoice,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A premium model answers a yes/no question, a label or a classification no better than its cheaper sibling, at several times the price per token.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PremiumModelOnTrivialCall));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override bool ReadsRequestDefinitions => true;

    protected override void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites)
    {
        var invocation = callSite.Invocation;
        if (callSite.Model is not { Id: { } modelId } model
            || !IsModelIdTrustworthy(model))
        {
            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
        var info = callSites.Models.Find(modelId);
        var premiumModels = RuleOptions.PremiumModels.GetList(options);
        bool isPremium = premiumModels.Count > 0
            ? premiumModels.Any(p => p == modelId || p == info?.Id)
            : info?.Tier == ModelTier.Premium;
        if (!isPremium)
        {
            return;
        }

        var signal = TrivialCallSignals.Find(
            callSite,
            RuleOptions.MaxOutputTokens.GetWholeNumber(options),
            RuleOptions.PromptSignals.GetBoolean(options),
            RuleOptions.MaxTrivialPromptLength.GetWholeNumber(options));
        if (signal is null)
        {
            return;
        }

        var sibling = info?.CheaperSibling is { } siblingId ? callSites.Models.Find(siblingId) : null;
        string comparison = sibling is null ? "" : $"; '{sibling.Id}' costs {PriceRatio(info!, sibling)} less per input token";
        var properties = ImmutableDictionary<string, string?>.Empty;
        var additionalLocations = Enumerable.Empty<Location>();

        // Offer the fix only where the id is written for this call alone: rewriting a shared client's model
        // would move its other calls to the cheaper model too.
        if (sibling is not null && model.SourceSyntax is { } source && !model.IsSharedWithOtherCalls && model.Service == ServiceKind.FirstParty)
        {
            properties = properties.Add(ReplacementProperty, sibling.Id);
            if (model.IsEnumMember && sibling.Aliases.FirstOrDefault(a => !ModelCatalog.IsWireName(a)) is { } member)
            {
                properties = properties.Add(ReplacementEnumMemberProperty, member);
            }

            additionalLocations = new[] { source.GetLocation() };
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, ModelRuleContext.CallLocation(invocation), additionalLocations, properties, modelId, signal, comparison));
    }

    /// <summary>
    /// Whether the id names a model rather than a deployment or a gateway's alias: always on a first-party client;
    /// on a client of unknown origin only for Anthropic requests, whose ids are the same on every host. An OpenAI
    /// client of unknown origin may be Azure, where the "model" is a deployment name.
    /// </summary>
    private static bool IsModelIdTrustworthy(ModelReference model) => model.Service switch
    {
        ServiceKind.FirstParty => true,
        ServiceKind.Unknown => model.Provider == ModelProvider.Anthropic,
        _ => false,
    };

    private static string PriceRatio(ModelInfo model, ModelInfo sibling)
    {
        if (model.InputPrice is not { } price || sibling.InputPrice is not { } cheaper || cheaper <= 0)
        {
            return "far";
        }

        return (price / cheaper).ToString(price / cheaper >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture) + "x";
    }
}
