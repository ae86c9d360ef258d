using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9104: a <c>[PromptFile("...")]</c> on a <c>[CachedPrompt]</c> type that no AdditionalFile matches. The generator then builds the prompt without
/// that static section, so the model is sent a prompt that lacks the file's instructions, and the build says
/// nothing else about it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PromptFileNotFoundAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.PromptFileNotFound,
        title: "Prompt file not found",
        messageFormat: "No AdditionalFile matches the prompt file '{0}', so '{1}' is built without that section; add <AdditionalFiles Include=\"{0}\" /> to the project",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The [CachedPrompt] generator reads a prompt file only when the project lists it as an AdditionalFile; it leaves out a section it cannot find.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PromptFileNotFound));

    private static readonly DiagnosticDescriptor TooLarge = new(
        RuleIdentifiers.PromptFileNotFound,
        title: "Prompt file not found",
        messageFormat: "The prompt file '{0}' has {1} characters, more than the {2} a [CachedPrompt] builder embeds, so '{3}' is built without that section; load a file this large at run time",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The [CachedPrompt] generator embeds a prompt file as a constant; a file past the limit would fail the build at emit, so it is left out.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PromptFileNotFound));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, TooLarge);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var cachedPrompt = start.Compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName);
            var promptFile = start.Compilation.GetTypeByMetadataName(PromptSections.PromptFileAttributeName);
            if (cachedPrompt is not null && promptFile is not null)
            {
                var additionalFiles = start.Options.AdditionalFiles;
                start.RegisterSymbolAction(symbol => Analyze(symbol, cachedPrompt, promptFile, additionalFiles), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol cachedPromptAttribute, INamedTypeSymbol promptFileAttribute, ImmutableArray<AdditionalText> additionalFiles)
    {
        var attributes = context.Symbol.GetAttributes();
        if (!attributes.Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, cachedPromptAttribute))
            || context.Symbol is not INamedTypeSymbol type
            || !PromptSections.GetsBuilder(type, context.CancellationToken))
        {
            // Only types the generator builds read the file; TL9101 reports a [CachedPrompt] type it cannot build.
            return;
        }

        foreach (var attribute in attributes)
        {
            // An empty path is an attribute still being typed: nothing to name yet.
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, promptFileAttribute)
                || PromptSections.ReadFile(attribute).Path is not { } path
                || string.IsNullOrWhiteSpace(path)
                || attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() is not { } location)
            {
                continue;
            }

            var file = PromptSections.FindPromptFile(additionalFiles, path);
            if (file is null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, path, context.Symbol.Name));
            }
            else if (file.GetText(context.CancellationToken) is { Length: > PromptSections.MaxPromptFileLength } text)
            {
                context.ReportDiagnostic(Diagnostic.Create(TooLarge, location, path,
                    text.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    PromptSections.MaxPromptFileLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    context.Symbol.Name));
            }
        }
    }
}
