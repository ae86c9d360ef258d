using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Simplification;
using TokenLint.Analysis.Prompts;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>A constant the TL4001 fix can move, with what it needs of the document it was found in.</summary>
internal sealed record MovableField(Document Document, IFieldSymbol Symbol, FieldDeclarationSyntax Declaration, VariableDeclaratorSyntax Declarator, LiteralExpressionSyntax Literal, int? Budget)
{
    /// <summary>The constant a TL4001 diagnostic is reported at, when the fix can move it without losing anything.</summary>
    public static async Task<MovableField?> FindAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Location.IsInSource
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { } declarator
            || declarator.Span != diagnostic.Location.SourceSpan
            || declarator is not { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax declaration } }
            || !declaration.Modifiers.Any(SyntaxKind.ConstKeyword)
            || declarator.Initializer?.Value is not LiteralExpressionSyntax literal
            || !literal.IsKind(SyntaxKind.StringLiteralExpression)
            || declaration.ContainsDirectives
            || declaration.GetLeadingTrivia().Any(t => t.HasStructure && t.GetStructure()!.DescendantNodes().OfType<CrefSyntax>().Any())
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } semanticModel
            || semanticModel.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol { IsConst: true, Type.SpecialType: SpecialType.System_String } field
            || field.ContainingType is not { } containingType
            // The generator adds members of its own to the new type: a section may not take their names.
            || GeneratedMembers.IsGeneratedName(field.Name)
            || CachedPromptMove.NewTypeAnchor(declaration) is null)
        {
            return null;
        }

        var compilation = semanticModel.Compilation;
        var cachedPrompt = compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName);
        var section = compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
        var stability = compilation.GetTypeByMetadataName("TokenLint.Stability");
        var budget = compilation.GetTypeByMetadataName(PromptSections.PromptBudgetAttributeName);
        if (cachedPrompt is null || section is null || stability is null
            || !new[] { cachedPrompt, section, stability }.All(t => compilation.IsSymbolAccessibleWithin(t, compilation.Assembly))
            || containingType.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, cachedPrompt)))
        {
            return null;
        }

        // [PromptBudget] moves with the text (TL4001 reads it at the section); any other attribute could read names of
        // the type it leaves, so its field stays where it is.
        int? maxTokens = null;
        foreach (var attribute in field.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, budget) || attribute.ConstructorArguments.FirstOrDefault().Value is not int value)
            {
                return null;
            }

            maxTokens = value;
        }

        return new MovableField(document, field, declaration, declarator, literal, maxTokens);
    }
}
