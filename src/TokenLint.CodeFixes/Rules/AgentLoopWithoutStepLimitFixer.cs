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
/// TL3003: add a step limit. A named constant and a counter go before the loop; the loop's first statement stops
/// it with a clear exception once the limit is passed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AgentLoopWithoutStepLimitFixer)), Shared]
public sealed class AgentLoopWithoutStepLimitFixer : CodeFixProvider
{
    /// <summary>Enough for real multi-tool tasks; a model past it is almost always stuck.</summary>
    public const int DefaultMaxSteps = 10;

    private const string EquivalenceKey = RuleIdentifiers.AgentLoopWithoutStepLimit + ".AddStepLimit";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.AgentLoopWithoutStepLimit);

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
            var loop = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is StatementSyntax s && (s is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax) ? s : null;
            if (loop?.Parent is BlockSyntax block && LoopBody(loop) is BlockSyntax body)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Add a step limit", ct => Task.FromResult(AddStepLimit(context.Document, root, semanticModel, block, loop, body)), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static StatementSyntax? LoopBody(StatementSyntax loop) => loop switch
    {
        WhileStatementSyntax whileStatement => whileStatement.Statement,
        DoStatementSyntax doStatement => doStatement.Statement,
        ForStatementSyntax forStatement => forStatement.Statement,
        _ => null,
    };

    private static Document AddStepLimit(Document document, SyntaxNode root, SemanticModel semanticModel, BlockSyntax block, StatementSyntax loop, BlockSyntax body)
    {
        string limit = ScopeNames.Unused(semanticModel, loop.SpanStart, "MaxAgentSteps");
        string counter = ScopeNames.Unused(semanticModel, loop.SpanStart, "agentSteps");
        var guard = SyntaxFactory.ParseStatement(
            $"if (++{counter} > {limit})\n{{\n    throw new global::System.InvalidOperationException($\"The agent loop stopped after {{{limit}}} steps; the model kept asking for tools.\");\n}}\n")
            .WithAdditionalAnnotations(Formatter.Annotation);
        var newBody = body.WithStatements(body.Statements.Insert(0, guard));
        // Only the new statements are formatted: the user's loop keeps its own layout (for (;;) stays as written).
        var newLoop = loop.ReplaceNode(body, newBody);

        var declarations = new[]
        {
            SyntaxFactory.ParseStatement($"const int {limit} = {DefaultMaxSteps};\n").WithAdditionalAnnotations(Formatter.Annotation),
            SyntaxFactory.ParseStatement($"var {counter} = 0;\n").WithAdditionalAnnotations(Formatter.Annotation),
        };

        int index = block.Statements.IndexOf(loop);
        var statements = block.Statements.RemoveAt(index).Insert(index, newLoop).InsertRange(index, declarations);
        return document.WithSyntaxRoot(root.ReplaceNode(block, block.WithStatements(statements)));
    }
}
