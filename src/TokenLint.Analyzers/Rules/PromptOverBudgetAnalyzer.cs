using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Configuration;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL4001: a prompt whose text known at build time is over its token budget: a system prompt that started at 500
/// tokens and quietly became 5,000. Every call pays for all of it. Checks the prompt text each model call sends
/// and prompt files (<c>*.prompt.md</c>, <c>*.prompt.txt</c>) given as AdditionalFiles.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PromptOverBudgetAnalyzer : ModelRuleAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.PromptOverBudget,
        title: "Prompt over its token budget",
        messageFormat: "This prompt has {0} tokens, over the budget of {1}{2}",
        RuleCategories.ContextSize,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every call pays for the whole prompt: a budget keeps its growth visible in review and CI.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PromptOverBudget));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override bool StartCompilation(CompilationStartAnalysisContext start)
    {
        start.RegisterAdditionalFileAction(AnalyzePromptFile);
        var attributes = Attributes(start.Compilation);
        if (attributes.Section is not null)
        {
            // The catalog is built only if a section names a model.
            var models = ModelCatalogProvider.Get(start.Options, start.CancellationToken);
            start.RegisterSymbolAction(symbol => AnalyzeSection(symbol, attributes, models), SymbolKind.Field);
        }

        return true;
    }

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        // A prompt constant sent by several calls is reported once, at its text.
        var attributes = Attributes(start.Compilation);
        var reported = new ConcurrentDictionary<Location, bool>();
        start.RegisterOperationAction(operation => AnalyzeCall(operation, callSites, attributes, reported), OperationKind.Invocation);
    }

    private static PromptAttributes Attributes(Compilation compilation) => new(
        compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName),
        compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName),
        compilation.GetTypeByMetadataName(PromptSections.PromptBudgetAttributeName));

    /// <summary>TokenLint's attribute types, resolved once per compilation (null when the project lacks them).</summary>
    private sealed record PromptAttributes(INamedTypeSymbol? Section, INamedTypeSymbol? CachedPrompt, INamedTypeSymbol? Budget);

    private static void AnalyzeCall(OperationAnalysisContext context, ModelCallSiteCatalog callSites, PromptAttributes attributes, ConcurrentDictionary<Location, bool> reported)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!callSites.TryGetCallSite(invocation, out var callSite) && !callSites.TryGetRequestDefinition(invocation, out callSite))
        {
            foreach (var forwarded in callSites.PromptsSentThrough(invocation))
            {
                AnalyzeForwarded(context, forwarded, callSites, reported);
            }

            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Operation.Syntax.SyntaxTree);
        int defaultBudget = (int)RuleOptions.MaxPromptTokens.GetWholeNumber(options);
        var model = callSite.Model?.Id is { } id ? callSites.Models.Find(id) : null;
        foreach (var part in callSite.PromptParts.Where(p => !p.IsOpaque && !IsPromptSection(p.Text, attributes, context.CancellationToken)))
        {
            int budget = BudgetAttribute(part.Text, attributes) ?? defaultBudget;
            // The text known at build time: a prompt with run-time values in it is at least this long.
            string text = PromptTextBuilder.Build(part).StaticText;
            if (!TokenCounter.IsAtLeast(text, budget + 1, TokenCounter.EncodingFor(model?.Id), out var count))
            {
                continue;
            }

            var location = TextLocation(part.Text, out bool shared);
            if (location.IsInSource && reported.TryAdd(location, true))
            {
                // A prompt in a field may be sent to several models: its message names none, so that it is the
                // same whichever call is analysed first.
                string cost = shared ? "" : Cost(count.Value, model);
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, count.ToString(), budget.ToString("N0", CultureInfo.InvariantCulture), cost));
            }
        }
    }

    /// <summary>
    /// A call of a method that sends its parameter as a prompt: a part is reported at this call's argument when the
    /// text the argument gives takes it over the budget (the method's own text alone, within it, is the method's to
    /// report).
    /// </summary>
    private static void AnalyzeForwarded(OperationAnalysisContext context, ForwardedPrompt forwarded, ModelCallSiteCatalog callSites, ConcurrentDictionary<Location, bool> reported)
    {
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Operation.Syntax.SyntaxTree);
        int budget = (int)RuleOptions.MaxPromptTokens.GetWholeNumber(options);
        var model = forwarded.CallSite.Model?.Id is { } id ? callSites.Models.Find(id) : null;
        var encoding = TokenCounter.EncodingFor(model?.Id);
        for (int i = 0; i < forwarded.Parts.Count; i++)
        {
            if (forwarded.PartArguments[i] is not { } argument || forwarded.CallSite.PromptParts[i].IsOpaque)
            {
                continue;
            }

            var text = forwarded.Parts[i];
            string own = string.Concat(text.Segments.Where(s => s.Volatility == Volatility.Static && !forwarded.IsGivenByCall(s)).Select(s => s.Text));
            if (!TokenCounter.IsAtLeast(text.StaticText, budget + 1, encoding, out var count) || TokenCounter.IsAtLeast(own, budget + 1, encoding, out _))
            {
                continue;
            }

            var location = TextLocation(argument, out bool shared);
            if (location.IsInSource && reported.TryAdd(location, true))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, count.ToString(), budget.ToString("N0", CultureInfo.InvariantCulture), shared ? "" : Cost(count.Value, model)));
            }
        }
    }

    /// <summary>
    /// A constant prompt section (<c>[PromptSection]</c> on a <c>const</c>, or on a <c>static readonly</c> string
    /// initialised with a literal), reported at its declaration: every prompt its <c>[CachedPrompt]</c> type
    /// renders carries it, whether or not a model call in this project sends it directly.
    /// </summary>
    private static void AnalyzeSection(SymbolAnalysisContext context, PromptAttributes attributes, EffectiveModelCatalog models)
    {
        var field = (IFieldSymbol)context.Symbol;
        if (SectionText(field, attributes, context.CancellationToken) is not { } text)
        {
            return;
        }

        var declarator = field.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken);
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(declarator.SyntaxTree);
        int budget = BudgetAttribute(field, attributes) ?? (int)RuleOptions.MaxPromptTokens.GetWholeNumber(options);
        var cachedPrompt = field.ContainingType.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributes.CachedPrompt));
        string? modelId = cachedPrompt?.NamedArguments.FirstOrDefault(a => a.Key == "Model").Value.Value as string;
        var model = modelId is null ? null : models.Catalog.Find(modelId);
        if (TokenCounter.IsAtLeast(text, budget + 1, TokenCounter.EncodingFor(model?.Id ?? modelId), out var count))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, declarator.GetLocation(), count.ToString(), budget.ToString("N0", CultureInfo.InvariantCulture), Cost(count.Value, model)));
        }
    }

    private static string? SectionText(IFieldSymbol field, PromptAttributes attributes, System.Threading.CancellationToken cancellationToken) =>
        field.Type.SpecialType == SpecialType.System_String
        && attributes.Section is not null
        && field.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributes.Section))
            ? PromptSections.ConstantText(field, cancellationToken)
            : null;

    /// <summary>A constant prompt section sent by a call is reported at its declaration by <see cref="AnalyzeSection"/>.</summary>
    private static bool IsPromptSection(IOperation text, PromptAttributes attributes, System.Threading.CancellationToken cancellationToken) =>
        ValueTracer.Unwrap(text) is IFieldReferenceOperation { Field: var field }
        && SectionText(field, attributes, cancellationToken) is not null;

    /// <summary>A file-name pattern with <c>*</c> and <c>?</c>, case-insensitive: <c>*.prompt.yaml</c>, <c>system-*.txt</c>.</summary>
    private static bool MatchesPattern(string name, string pattern)
    {
        string regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern.Trim()).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, System.TimeSpan.FromMilliseconds(100));
    }

    /// <summary><c>[PromptBudget(8000)]</c> on the constant, field or property that holds the prompt.</summary>
    private static int? BudgetAttribute(IOperation text, PromptAttributes attributes) => BudgetAttribute(ValueTracer.Unwrap(text) switch
    {
        IFieldReferenceOperation field => (ISymbol)field.Field,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    }, attributes);

    private static int? BudgetAttribute(ISymbol? member, PromptAttributes attributes)
    {
        if (member is null || attributes.Budget is null)
        {
            return null;
        }

        var attribute = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributes.Budget));
        return attribute?.ConstructorArguments.FirstOrDefault().Value is int budget && budget > 0 ? budget : null;
    }

    private static void AnalyzePromptFile(AdditionalFileAnalysisContext context)
    {
        string name = Path.GetFileName(context.AdditionalFile.Path);
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.AdditionalFile);
        bool isPrompt = name.EndsWith(".prompt.md", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".prompt.txt", StringComparison.OrdinalIgnoreCase)
            || RuleOptions.PromptFiles.GetList(options).Concat(RuleOptions.PromptFiles.GetList(context.Options.AnalyzerConfigOptionsProvider.GlobalOptions))
                .Any(pattern => MatchesPattern(name, pattern));
        if (!isPrompt || context.AdditionalFile.GetText(context.CancellationToken) is not { } text)
        {
            return;
        }

        int budget = (int)RuleOptions.MaxPromptTokens.GetWholeNumber(options);
        if (TokenCounter.IsAtLeast(text.ToString(), budget + 1, TokenEncoding.O200kBase, out var count))
        {
            var start = new LinePosition(0, 0);
            var location = Location.Create(context.AdditionalFile.Path, new TextSpan(0, 0), new LinePositionSpan(start, start));
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, count.ToString(), budget.ToString("N0", CultureInfo.InvariantCulture), ""));
        }
    }

    /// <summary>The constant, field or property the text is declared in, in whatever file, so that a prompt sent
    /// from many places is reported once where it is written; else the expression at the call.</summary>
    private static Location TextLocation(IOperation text, out bool shared)
    {
        var member = ValueTracer.Unwrap(text) switch
        {
            IFieldReferenceOperation field => (ISymbol)field.Field,
            IPropertyReferenceOperation { Property.IsIndexer: false } property => property.Property,
            _ => null,
        };

        // A field at its declarator (`Policy = "…"`), a property at its name.
        shared = member is { DeclaringSyntaxReferences.Length: 1 };
        return !shared ? ValueTracer.Unwrap(text).Syntax.GetLocation()
            : member is IPropertySymbol ? member.Locations[0]
            : member!.DeclaringSyntaxReferences[0].GetSyntax().GetLocation();
    }

    /// <summary>"; $12.50 per 1,000 calls at claude-sonnet-4-6's input price ($1.25 if cached)".</summary>
    private static string Cost(int tokens, ModelInfo? model)
    {
        if (model?.InputPrice is not { } price)
        {
            return "";
        }

        string perThousand = Dollars(tokens * price / 1000);
        string cached = model.CacheReadPrice is { } read && model.MinCacheablePrefixTokens is { } minimum && tokens >= minimum
            ? $" ({Dollars(tokens * read / 1000)} if cached)"
            : "";
        return $"; {perThousand} per 1,000 calls at {model.Id}'s input price{cached}";
    }

    private static string Dollars(double value) => "$" + value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture);
}
