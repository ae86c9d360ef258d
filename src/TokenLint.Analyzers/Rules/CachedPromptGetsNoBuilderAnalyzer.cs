using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9101: a <c>[CachedPrompt]</c> type the generator cannot extend: not partial, nested in another type, or
/// <c>file</c>-local (the generated part, in another file, would be another type). It
/// gets no builder, so no cache-friendly layout, no token count and no hash, and without this rule nothing says so.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CachedPromptGetsNoBuilderAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor NotPartial = new(
        RuleIdentifiers.CachedPromptGetsNoBuilder,
        title: "[CachedPrompt] type gets no builder",
        messageFormat: "'{0}' is not partial, so the [CachedPrompt] generator cannot add its builder; make it partial",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator adds Render(), the token count and the hash to the type itself, which needs every declaration of it to be partial.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CachedPromptGetsNoBuilder));

    private static readonly DiagnosticDescriptor Nested = new(
        RuleIdentifiers.CachedPromptGetsNoBuilder,
        title: "[CachedPrompt] type gets no builder",
        messageFormat: "'{0}' is nested in '{1}', and the [CachedPrompt] generator builds only top-level types; move it out of '{1}'",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator adds Render(), the token count and the hash to top-level types only.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CachedPromptGetsNoBuilder));

    private static readonly DiagnosticDescriptor FileLocal = new(
        RuleIdentifiers.CachedPromptGetsNoBuilder,
        title: "[CachedPrompt] type gets no builder",
        messageFormat: "'{0}' is file-local, and the [CachedPrompt] generator cannot add its builder to a file-local type (its part, in another file, would be another type); remove 'file'",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A file-local type can be extended only from its own file, and the generator writes the builder into a file of its own.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CachedPromptGetsNoBuilder));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(NotPartial, Nested, FileLocal);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName) is { } cachedPrompt)
            {
                start.RegisterSymbolAction(symbol => Analyze(symbol, cachedPrompt), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol cachedPrompt)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, cachedPrompt)))
        {
            return;
        }

        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
        if (declarations.Count == 0)
        {
            return;
        }

        var location = declarations[0].Identifier.GetLocation();
        // File-local first: making such a type partial would not give it a builder.
        if (declarations.Any(d => d.Modifiers.Any(SyntaxKind.FileKeyword)))
        {
            context.ReportDiagnostic(Diagnostic.Create(FileLocal, location, type.Name));
        }
        else if (declarations.Any(d => !d.Modifiers.Any(SyntaxKind.PartialKeyword)))
        {
            context.ReportDiagnostic(Diagnostic.Create(NotPartial, location, type.Name));
        }
        else if (type.ContainingType is { } container)
        {
            context.ReportDiagnostic(Diagnostic.Create(Nested, location, type.Name, container.Name));
        }
    }
}
