using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Formatting;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>
/// TL5002: reuse the first result. The repeated call (with its <c>await</c>) becomes the local the first call
/// initialises; when the first result is discarded (<c>await client.Call(…);</c>) or used inline, the fix first
/// keeps it in a new local, <c>response</c>. Offered only when both calls are awaited, or neither returns a task
/// (a task awaited twice is not a <c>ValueTask</c>'s contract), and the local still holds the first result.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RepeatedModelRequestFixer)), Shared]
public sealed class RepeatedModelRequestFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.RepeatedModelRequest + ".Reuse";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RepeatedModelRequest);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (fixAll, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync(fixAll.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        // One edit per first call, with all of its repeats: each edit is planned on the document the last one left.
        var marks = new Dictionary<SyntaxNode, List<SyntaxAnnotation>>();
        var groups = new List<(SyntaxAnnotation First, SyntaxAnnotation Seconds)>();
        foreach (var group in diagnostics.Select(d => (First: FirstCall(root, d), Second: SecondCall(root, d))).Where(p => p.First is not null && p.Second is not null).GroupBy(p => p.First!))
        {
            var first = new SyntaxAnnotation("TL5002.first");
            var seconds = new SyntaxAnnotation("TL5002.second");
            groups.Add((first, seconds));
            Mark(marks, group.Key, first);
            foreach (var pair in group)
            {
                Mark(marks, pair.Second!, seconds);
            }
        }

        if (groups.Count == 0)
        {
            return null;
        }

        var annotated = root.ReplaceNodes(marks.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original]));
        var current = document.WithSyntaxRoot(annotated);
        foreach (var (first, seconds) in groups)
        {
            current = await ReuseAsync(current, first, seconds, fixAll.CancellationToken).ConfigureAwait(false) ?? current;
        }

        return current;
    });

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (FirstCall(root, diagnostic) is not { } first || SecondCall(root, diagnostic) is not { } second
                || Plan(root, semanticModel, first, new[] { second }) is null)
            {
                continue;
            }

            var firstMark = new SyntaxAnnotation("TL5002.first");
            var secondMark = new SyntaxAnnotation("TL5002.second");
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Reuse the first result",
                    async ct =>
                    {
                        var marked = root.ReplaceNodes(new[] { first, second }, (original, rewritten) => rewritten.WithAdditionalAnnotations(original == first ? firstMark : secondMark));
                        return await ReuseAsync(document.WithSyntaxRoot(marked), firstMark, secondMark, ct).ConfigureAwait(false) ?? document;
                    },
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static void Mark(Dictionary<SyntaxNode, List<SyntaxAnnotation>> marks, SyntaxNode node, SyntaxAnnotation mark)
    {
        if (!marks.TryGetValue(node, out var list))
        {
            marks[node] = list = new List<SyntaxAnnotation>();
        }

        list.Add(mark);
    }

    private static InvocationExpressionSyntax? FirstCall(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.AdditionalLocations.Count == 0
            ? null
            : root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan).DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                .FirstOrDefault(i => i.Span == diagnostic.AdditionalLocations[0].SourceSpan);

    private static InvocationExpressionSyntax? SecondCall(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<InvocationExpressionSyntax>();

    private static async Task<Document?> ReuseAsync(Document document, SyntaxAnnotation firstMark, SyntaxAnnotation secondMark, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null
            || root.GetAnnotatedNodes(firstMark).OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } first)
        {
            return null;
        }

        var seconds = root.GetAnnotatedNodes(secondMark).OfType<InvocationExpressionSyntax>().ToArray();
        return Plan(root, semanticModel, first, seconds) is { } edit ? document.WithSyntaxRoot(edit()) : null;
    }

    /// <summary>The edit, or null when the fix does not apply.</summary>
    private static System.Func<SyntaxNode>? Plan(SyntaxNode root, SemanticModel semanticModel, InvocationExpressionSyntax first, IReadOnlyList<InvocationExpressionSyntax> seconds)
    {
        var firstValue = Awaited(first);
        var repeats = seconds.Select(Awaited)
            .Where(value => value is AwaitExpressionSyntax == firstValue is AwaitExpressionSyntax)
            .ToArray();
        if (repeats.Length == 0 || (firstValue is not AwaitExpressionSyntax && IsAwaitable(semanticModel.GetTypeInfo(firstValue).Type)))
        {
            return null;
        }

        // var answer = await client.Call(…);  … answer …
        if (firstValue.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            && declarator.Parent?.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } declaration
            && semanticModel.GetDeclaredSymbol(declarator) is ILocalSymbol local)
        {
            string name = declarator.Identifier.ValueText;
            bool sameType = SymbolEqualityComparer.Default.Equals(local.Type, semanticModel.GetTypeInfo(firstValue).Type);
            var usable = repeats
                .Where(r => sameType || SymbolEqualityComparer.Default.Equals(local.Type, semanticModel.GetTypeInfo(r).ConvertedType))
                .Where(r => !WrittenBetween(declaration, r, name))
                .ToArray();
            return usable.Length == 0 ? null : () => root.ReplaceNodes(usable.Select(Replaced), (original, _) => SyntaxFactory.IdentifierName(name).WithTriviaFrom(original));
        }

        if (firstValue.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement)
        {
            return null;
        }

        string fresh = FreeName(semanticModel, block, statement.SpanStart, "response");
        var keep = SyntaxFactory.ParseStatement($"var {fresh} = {firstValue.WithoutTrivia().ToFullString()};")
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        var reference = SyntaxFactory.IdentifierName(fresh);
        return () =>
        {
            var inline = Replaced(firstValue);
            var tracked = root.TrackNodes(repeats.Select(Replaced).Cast<SyntaxNode>().Append(statement).Append(inline));
            foreach (var repeat in repeats.Select(Replaced))
            {
                tracked = tracked.ReplaceNode(tracked.GetCurrentNode(repeat)!, reference.WithTriviaFrom(repeat));
            }

            if (firstValue.Parent == statement)
            {
                // await client.Call(…);  becomes  var response = await client.Call(…);
                return tracked.ReplaceNode(tracked.GetCurrentNode(statement)!, keep.WithTrailingTrivia(statement.GetTrailingTrivia()));
            }

            tracked = tracked.ReplaceNode(tracked.GetCurrentNode(inline)!, reference.WithTriviaFrom(inline));
            return tracked.InsertNodesBefore(tracked.GetCurrentNode(statement)!, new[] { keep.WithTrailingTrivia(statement.GetTrailingTrivia()) });
        };
    }

    /// <summary>The call with its <c>await</c>, when it is awaited.</summary>
    private static ExpressionSyntax Awaited(InvocationExpressionSyntax call) => call.Parent is AwaitExpressionSyntax awaited ? awaited : call;

    /// <summary><c>(await client.Call(…)).Text</c> becomes <c>response.Text</c>: the parentheses go with the call.</summary>
    private static ExpressionSyntax Replaced(ExpressionSyntax repeat) => repeat.Parent is ParenthesizedExpressionSyntax parenthesized ? parenthesized : repeat;

    private static bool IsAwaitable(ITypeSymbol? type) => type?.GetMembers("GetAwaiter").Any() == true;

    /// <summary>An assignment to the local, or a ref/out use of it, between its declaration and the repeat.</summary>
    private static bool WrittenBetween(SyntaxNode declaration, SyntaxNode repeat, string name) =>
        declaration.Parent is { } scope
        && scope.DescendantNodes().OfType<IdentifierNameSyntax>().Any(identifier =>
            identifier.Identifier.ValueText == name
            && identifier.SpanStart > declaration.Span.End && identifier.SpanStart < repeat.SpanStart
            && (identifier.Parent is AssignmentExpressionSyntax assignment && assignment.Left == identifier
                || identifier.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 }));

    /// <summary>A name free at the position and declared nowhere in the block (a later declaration would clash).</summary>
    private static string FreeName(SemanticModel semanticModel, BlockSyntax block, int position, string name)
    {
        var declared = ScopeNames.DeclaredIn(block);
        string candidate = ScopeNames.Unused(semanticModel, position, name);
        for (int suffix = 2; declared.Contains(candidate); suffix++)
        {
            candidate = ScopeNames.Unused(semanticModel, position, name + suffix);
        }

        return candidate;
    }
}
