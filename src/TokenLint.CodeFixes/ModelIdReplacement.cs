using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analyzers.Rules;

namespace TokenLint.CodeFixes;

/// <summary>
/// Rewrites the literal (or Anthropic <c>Model</c> enum member) that spells a model id, as the diagnostic's first
/// additional location names it. Shared by the TL1001 and TL1002 fixes; the analyzers decide when it is safe.
/// </summary>
internal static class ModelIdReplacement
{
    public static bool TryGetReplacement(Diagnostic diagnostic, out string replacement) =>
        diagnostic.Properties.TryGetValue(PremiumModelOnTrivialCallAnalyzer.ReplacementProperty, out replacement!)
        && !string.IsNullOrEmpty(replacement)
        && diagnostic.AdditionalLocations.Count > 0;

    /// <summary>Applies every diagnostic's replacement to one document; two diagnostics on the same literal
    /// (a constant used by two calls) rewrite it once.</summary>
    public static async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (!TryGetReplacement(diagnostic, out var id))
            {
                continue;
            }

            var location = diagnostic.AdditionalLocations[0];
            if (location.SourceTree != root.SyntaxTree)
            {
                continue;
            }

            var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            diagnostic.Properties.TryGetValue(PremiumModelOnTrivialCallAnalyzer.ReplacementEnumMemberProperty, out var enumMember);
            if (!replacements.ContainsKey(node) && Rewrite(node, id, enumMember) is { } rewritten)
            {
                replacements.Add(node, rewritten);
            }
        }

        return replacements.Count == 0 ? document : document.WithSyntaxRoot(root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]));
    }

    private static SyntaxNode? Rewrite(SyntaxNode node, string id, string? enumMember)
    {
        switch (node)
        {
            case MemberAccessExpressionSyntax access when enumMember is not null:
                return access.WithName(SyntaxFactory.IdentifierName(enumMember).WithTriviaFrom(access.Name));
            case ExpressionSyntax expression when expression is LiteralExpressionSyntax or MemberAccessExpressionSyntax:
                // An enum member without a sibling member becomes a string: the SDK converts strings implicitly.
                return SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(id)).WithTriviaFrom(expression);
            default:
                return null;
        }
    }
}

/// <summary>FixAll for the model-id fixes: one pass per document over all its diagnostics.</summary>
internal sealed class ModelIdFixAllProvider : DocumentBasedFixAllProvider
{
    public static readonly ModelIdFixAllProvider Instance = new();

    protected override Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        ModelIdReplacement.ApplyAsync(document, diagnostics, fixAllContext.CancellationToken)!;
}
