using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>
/// TL2004: move the block that holds the per-call value to just after the block with the cache breakpoint, in the
/// same list (<c>System = new List&lt;TextBlockParam&gt; { … }</c>, or a collection expression). The cached prefix
/// then ends before the value, and the blocks' text is unchanged.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CacheBreakpointAfterVolatileContentFixer)), Shared]
public sealed class CacheBreakpointAfterVolatileContentFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.CacheBreakpointAfterVolatileContent + ".MoveVolatileBlockAfterBreakpoint";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CacheBreakpointAfterVolatileContent);

    // Fixes in different lists are independent; two in one list overlap, and the batch keeps the first.
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.AdditionalLocations.Count == 0 || diagnostic.AdditionalLocations[0].SourceTree != root.SyntaxTree)
            {
                continue;
            }

            var marked = Element(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true));
            var volatileBlock = Element(root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true));
            if (marked is null || volatileBlock is null || marked == volatileBlock || marked.Parent != volatileBlock.Parent
                || volatileBlock.SpanStart > marked.SpanStart)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Move the volatile block after the cache breakpoint",
                    ct => MoveAsync(context.Document, root, volatileBlock, marked),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The list element (initializer expression or collection-expression element) a node belongs to.</summary>
    private static SyntaxNode? Element(SyntaxNode node) =>
        node.AncestorsAndSelf().FirstOrDefault(n =>
            (n.Parent is InitializerExpressionSyntax initializer && initializer.IsKind(SyntaxKind.CollectionInitializerExpression))
            || n is CollectionElementSyntax);

    private static Task<Document> MoveAsync(Document document, SyntaxNode root, SyntaxNode moving, SyntaxNode anchor)
    {
        SyntaxNode list = moving.Parent!;
        SyntaxNode newList = list switch
        {
            InitializerExpressionSyntax initializer => initializer.WithExpressions(Reorder(initializer.Expressions, (ExpressionSyntax)moving, (ExpressionSyntax)anchor)),
            CollectionExpressionSyntax collection => collection.WithElements(Reorder(collection.Elements, (CollectionElementSyntax)moving, (CollectionElementSyntax)anchor)),
            _ => list,
        };

        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(list, newList)));
    }

    /// <summary>Moves <paramref name="moving"/> to just after <paramref name="anchor"/>; each element keeps its trivia
    /// and every separator stays where it was.</summary>
    private static SeparatedSyntaxList<T> Reorder<T>(SeparatedSyntaxList<T> elements, T moving, T anchor)
        where T : SyntaxNode
    {
        var nodes = elements.ToList();
        nodes.Remove(moving);
        nodes.Insert(nodes.IndexOf(anchor) + 1, moving);
        var separators = elements.GetSeparators().ToList();

        // Keep each position's layout: the node at a position takes the trivia of the node that was there.
        var laidOut = nodes.Select((node, index) => node.WithLeadingTrivia(elements[index].GetLeadingTrivia()).WithTrailingTrivia(elements[index].GetTrailingTrivia()));
        return SyntaxFactory.SeparatedList(laidOut, separators);
    }
}
