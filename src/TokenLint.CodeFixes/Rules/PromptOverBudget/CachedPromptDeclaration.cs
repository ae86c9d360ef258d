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

/// <summary>The text of the <c>[CachedPrompt]</c> type the TL4001 fix writes.</summary>
internal static class CachedPromptDeclaration
{
    /// <summary>
    /// The new type: the field's doc comment and <c>[PromptBudget]</c>, and the literal copied as written, line breaks
    /// included, so that the constant's value is unchanged. TokenLint's names are written in full and reduced later.
    /// </summary>
    internal static MemberDeclarationSyntax Create(MovableField field, string typeName, bool visibleOutside, string eol, string indent)
    {
        const string TokenLint = "global::TokenLint.";
        string accessibility = visibleOutside ? "public" : "internal";
        string origin = field.Symbol.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + "." + field.Symbol.Name;
        var builder = new StringBuilder(eol);
        builder.Append(indent).Append($"/// <summary>The prompt that was <c>{origin.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")}</c>, as a static section the [CachedPrompt] generator lays out first.</summary>").Append(eol);
        builder.Append(indent).Append($"[{TokenLint}CachedPrompt]").Append(eol);
        builder.Append(indent).Append($"{accessibility} static partial class {typeName}").Append(eol);
        builder.Append(indent).Append('{').Append(eol);
        foreach (var line in DocumentationLines(field.Declaration))
        {
            builder.Append(indent).Append("    ").Append(line).Append(eol);
        }

        builder.Append(indent).Append($"    [{TokenLint}PromptSection({TokenLint}Stability.Static)]").Append(eol);
        if (field.Budget is { } budget)
        {
            builder.Append(indent).Append($"    [{TokenLint}PromptBudget({budget.ToString(System.Globalization.CultureInfo.InvariantCulture)})]").Append(eol);
        }

        builder.Append(indent).Append($"    {accessibility} const string {field.Declarator.Identifier.Text} = {field.Literal.Token.Text};").Append(eol);
        builder.Append(indent).Append('}').Append(eol);
        return SyntaxFactory.ParseMemberDeclaration(builder.ToString())!
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }

    internal static string LineBreak(Microsoft.CodeAnalysis.Text.SourceText text) =>
        text.Lines.Count > 1 && text.Lines[0].EndIncludingLineBreak - text.Lines[0].End == 2 ? "\r\n" : "\n";

    /// <summary>The white space before the type's first token on its line.</summary>
    internal static string Indentation(SyntaxNode node) =>
        node.GetLeadingTrivia().LastOrDefault() is var last && last.IsKind(SyntaxKind.WhitespaceTrivia) ? last.ToString() : "";

    /// <summary>The field's <c>///</c> comment, its lines without their indentation.</summary>
    private static IEnumerable<string> DocumentationLines(FieldDeclarationSyntax declaration)
    {
        foreach (var trivia in declaration.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)))
        {
            foreach (string line in trivia.ToFullString().Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.Length > 0)
                {
                    yield return trimmed.StartsWith("///", System.StringComparison.Ordinal) ? trimmed : "/// " + trimmed;
                }
            }
        }
    }
}
