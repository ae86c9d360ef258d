using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9103: two sections of one <c>[CachedPrompt]</c> type with the same stability and the same explicit
/// <c>Order</c>. The layout then falls back to declaration order, so moving a member reorders the prompt, and a
/// reordered static section busts the cached prefix without anyone meaning to.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PromptSectionsShareAnOrderAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.PromptSectionsShareAnOrder,
        title: "Two prompt sections share an order",
        messageFormat: "Sections '{0}' and '{1}' are both Stability.{2} with Order = {3}, so their order in the prompt follows declaration order; give each its own Order",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An explicit Order is meant to fix a section's place; two equal ones leave it to declaration order.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.PromptSectionsShareAnOrder));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var cachedPrompt = start.Compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName);
            var section = start.Compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
            if (cachedPrompt is not null && section is not null)
            {
                start.RegisterSymbolAction(symbol => Analyze(symbol, cachedPrompt, section), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol cachedPrompt, INamedTypeSymbol sectionAttribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, cachedPrompt)))
        {
            return;
        }

        var first = new Dictionary<(int Stability, int Order), ISymbol>();
        foreach (var member in type.GetMembers())
        {
            var attribute = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sectionAttribute));
            if (attribute is null || PromptSections.Read(attribute) is not (var stability, int order))
            {
                continue;
            }

            if (first.TryGetValue((stability, order), out var earlier))
            {
                var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? member.Locations.FirstOrDefault();
                string name = stability >= 0 && stability < PromptSections.StabilityNames.Length ? PromptSections.StabilityNames[stability] : stability.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, earlier.Name, member.Name, name, order.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                first.Add((stability, order), member);
            }
        }
    }
}
