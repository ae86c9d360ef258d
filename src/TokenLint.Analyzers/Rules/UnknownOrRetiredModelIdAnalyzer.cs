using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL1002: a model id given to a first-party OpenAI or Anthropic client that is a near-typo of a known id, or a
/// model that is retired (every call fails) or has an announced end of life. Azure deployment names, custom
/// endpoints and fine-tuned ids are the user's own names and are never checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnknownOrRetiredModelIdAnalyzer : ModelRuleAnalyzer
{
    /// <summary>Diagnostic property: the id the fix writes.</summary>
    public const string ReplacementProperty = PremiumModelOnTrivialCallAnalyzer.ReplacementProperty;

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.UnknownOrRetiredModelId,
        title: "Unknown or retired model id",
        messageFormat: "{0}",
        RuleCategories.ModelChoice,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A misspelt or retired model id fails every call at run time, usually after retries.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UnknownOrRetiredModelId));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        // Wire names per provider, computed once, when the first unknown id is checked: the typo check compares
        // against these.
        var anthropicNames = new Lazy<ImmutableArray<string>>(() => WireNames(callSites.Models, ModelProvider.Anthropic));
        var openAINames = new Lazy<ImmutableArray<string>>(() => WireNames(callSites.Models, ModelProvider.OpenAI));
        start.RegisterOperationAction(
            operation => Analyze(operation, callSites, anthropicNames, openAINames),
            OperationKind.ObjectCreation,
            OperationKind.Invocation,
            OperationKind.SimpleAssignment);
    }

    private static ImmutableArray<string> WireNames(ModelCatalog catalog, ModelProvider provider) =>
        catalog.Models.Where(m => m.Provider == provider)
            .SelectMany(m => new[] { m.Id }.Concat(m.Aliases))
            .Where(ModelCatalog.IsWireName)
            .ToImmutableArray();

    private static void Analyze(OperationAnalysisContext context, ModelCallSiteCatalog callSites, Lazy<ImmutableArray<string>> anthropicNames, Lazy<ImmutableArray<string>> openAINames)
    {
        if (!callSites.TryGetModelIdSink(context.Operation, out var sink)
            || sink.Service != ServiceKind.FirstParty
            || sink.Provider is not (ModelProvider.OpenAI or ModelProvider.Anthropic)
            || callSites.ResolveModel(sink) is not { Id: { } id, IsEnumMember: false } model
            || !LooksLikeFirstPartyId(id))
        {
            // Enum members are the SDK's own ids; the compiler's [Obsolete] warning covers retiring ones.
            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Operation.Syntax.SyntaxTree);
        if (RuleOptions.KnownModelIds.GetList(options).Contains(id) || callSites.Models.IsOtherKnownId(id))
        {
            return;
        }

        string? message;
        string? replacement;
        if (callSites.Models.TryFind(id, out var known))
        {
            replacement = known.Replacement;
            message = known.Status switch
            {
                ModelStatus.Retired => $"'{id}' is retired: every call fails" + (replacement is null ? "" : $"; use '{replacement}'"),
                ModelStatus.Deprecated when RuleOptions.ReportDeprecated.GetBoolean(options) =>
                    $"'{id}' reaches end of life" + (known.RetirementDate is null ? "" : $" on {known.RetirementDate}") + (replacement is null ? "" : $"; migrate to '{replacement}'"),
                _ => null,
            };
        }
        else
        {
            replacement = ModelIdSpelling.SuggestCorrection(id, (sink.Provider == ModelProvider.Anthropic ? anthropicNames : openAINames).Value);
            string provider = sink.Provider.ToString();
            message = replacement is null ? null : $"'{id}' is not a known {provider} model id; did you mean '{replacement}'?";
        }

        if (message is null)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        var additionalLocations = Enumerable.Empty<Location>();
        if (replacement is not null && model.SourceSyntax is { } source)
        {
            // A misspelt or retired id is wrong everywhere it is used, so the fix may rewrite a shared constant.
            properties = properties.Add(ReplacementProperty, replacement);
            additionalLocations = new[] { source.GetLocation() };
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, sink.ModelExpression.Syntax.GetLocation(), additionalLocations, properties, message));
    }

    /// <summary>Fine-tuned (<c>ft:</c>), routed (<c>openai/gpt-4o</c>), Bedrock (<c>…-v1:0</c>) and Vertex
    /// (<c>…@20250929</c>) ids are someone else's names.</summary>
    private static bool LooksLikeFirstPartyId(string id) =>
        id.Length > 0 && id.IndexOfAny(new[] { ':', '/', '@', ' ', '\t', '{' }) < 0;
}
