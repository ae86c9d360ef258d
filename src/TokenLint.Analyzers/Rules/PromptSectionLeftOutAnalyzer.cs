using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9105: a <c>[PromptSection]</c> member that the <c>[CachedPrompt]</c> builder leaves out of the prompt: a task,
/// a collection it cannot lay out, a tool list that is not static, a member it cannot read (write-only, an indexer,
/// a method with parameters), or a stability out of range. The generator decides with
/// <see cref="PromptSections.Classify"/>, and so does this rule, so that what it reports is exactly what is not sent.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PromptSectionLeftOutAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.PromptSectionLeftOut,
        title: "Prompt section left out of the builder",
        messageFormat: "'{0}' {1}",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The [CachedPrompt] builder lays out text, lists of strings, few-shot pairs and static tool lists, read from fields, properties and parameterless methods; any other [PromptSection] member is silently missing from the prompt.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PromptSectionLeftOut));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var cachedPrompt = start.Compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName);
            var section = start.Compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
            if (cachedPrompt is null || section is null)
            {
                return;
            }

            // Null without the SDK that defines tools, as the generator resolves it: then no section is a tool list.
            var aiTool = ToolTypes.PromptToolType(start.Compilation);
            start.RegisterSymbolAction(symbol => Analyze(symbol, cachedPrompt, section, aiTool), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol cachedPrompt, INamedTypeSymbol sectionAttribute, INamedTypeSymbol? aiTool)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, cachedPrompt)) || !PromptSections.GetsBuilder(type, context.CancellationToken))
        {
            return;
        }

        foreach (var member in type.GetMembers())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var attribute = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sectionAttribute));
            if (attribute is null || PromptSections.Classify(member, PromptSections.Read(attribute).Stability, aiTool).LeftOutBecause is not { } reason)
            {
                continue;
            }

            var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? member.Locations.FirstOrDefault();
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, member.Name, reason));
        }
    }
}
