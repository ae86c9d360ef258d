using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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
/// TL3001: bound the attempts. <c>while (true)</c> / <c>for (;;)</c> becomes <c>for (var attempt = 1; ; attempt++)</c>
/// and each <c>catch</c> that retries gets <c>when (attempt &lt; MaxAttempts)</c>, so the last failure propagates
/// unchanged; <c>MaxAttempts</c> is a named constant (3) declared before the loop.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedRetryLoopFixer)), Shared]
public sealed class UnboundedRetryLoopFixer : CodeFixProvider
{
    public const int DefaultMaxAttempts = 3;

    private const string EquivalenceKey = RuleIdentifiers.UnboundedRetryLoop + ".BoundAttempts";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UnboundedRetryLoop);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

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
            // The diagnostic sits on the loop's own keyword: take that loop, never an enclosing one.
            var loop = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is StatementSyntax s && (s is WhileStatementSyntax or ForStatementSyntax) ? s : null;
            var body = loop switch
            {
                WhileStatementSyntax { Condition: LiteralExpressionSyntax literal } whileLoop when literal.IsKind(SyntaxKind.TrueLiteralExpression) => whileLoop.Statement,
                ForStatementSyntax { Condition: null, Declaration: null, Initializers.Count: 0, Incrementors.Count: 0 } forLoop => forLoop.Statement,
                _ => null,
            };

            // Only loops that retry through a catch: the filter then bounds them. A loop that retries until the
            // answer passes a check has no catch to filter, and is bounded by hand.
            if (loop?.Parent is BlockSyntax block && body is not null && RetryingCatches(body).Any())
            {
                string limit = ScopeNames.Unused(semanticModel, loop.SpanStart, "MaxAttempts");
                string counter = ScopeNames.Unused(semanticModel, loop.SpanStart, "attempt");
                context.RegisterCodeFix(
                    CodeAction.Create("Bound the attempts", ct => Task.FromResult(Bound(context.Document, root, block, loop, body, limit, counter)), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The catches of this loop's own try statements that let it go round again; nested loops keep theirs.</summary>
    private static System.Collections.Generic.IEnumerable<CatchClauseSyntax> RetryingCatches(StatementSyntax body) =>
        body.DescendantNodesAndSelf(n => n == body || n is not (LambdaExpressionSyntax or LocalFunctionStatementSyntax or WhileStatementSyntax or ForStatementSyntax or DoStatementSyntax or ForEachStatementSyntax))
            .OfType<CatchClauseSyntax>()
            .Where(c => !c.Block.DescendantNodes().Any(n => n is ThrowStatementSyntax or ThrowExpressionSyntax or ReturnStatementSyntax or BreakStatementSyntax));

    private static Document Bound(Document document, SyntaxNode root, BlockSyntax block, StatementSyntax loop, StatementSyntax body, string limit, string counter)
    {
        // Only the catches of this loop's own try statements: a nested loop keeps its own logic.
        var retryingCatches = RetryingCatches(body);
        var newBody = body.ReplaceNodes(retryingCatches, (original, _) =>
        {
            var guard = SyntaxFactory.ParseExpression($"{counter} < {limit}");
            var filter = original.Filter is { } existing
                ? existing.WithFilterExpression(SyntaxFactory.ParseExpression($"({existing.FilterExpression}) && {counter} < {limit}"))
                : SyntaxFactory.CatchFilterClause(guard);
            return original.WithFilter(filter.WithAdditionalAnnotations(Formatter.Annotation));
        });

        var bounded = SyntaxFactory.ParseStatement($"for (var {counter} = 1; ; {counter}++)\n{{\n}}\n") is ForStatementSyntax forLoop
            ? forLoop.WithStatement(newBody).WithTriviaFrom(loop).WithAdditionalAnnotations(Formatter.Annotation)
            : loop;
        var constant = SyntaxFactory.ParseStatement($"const int {limit} = {DefaultMaxAttempts};\n").WithAdditionalAnnotations(Formatter.Annotation);

        int index = block.Statements.IndexOf(loop);
        var statements = block.Statements.RemoveAt(index).Insert(index, bounded).Insert(index, constant);
        return document.WithSyntaxRoot(root.ReplaceNode(block, block.WithStatements(statements)));
    }
}
