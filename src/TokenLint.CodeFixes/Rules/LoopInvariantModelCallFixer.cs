using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using TokenLint.Analyzers;
using TokenLint.Analyzers.Rules;

namespace TokenLint.CodeFixes.Rules;

/// <summary>
/// TL5001: move <c>var answer = await client.Call(…);</c> from the loop body to just before the loop, so the
/// request is sent once. Offered only where the analyzer found that safe (<see cref="LoopInvariantModelCallAnalyzer.HoistableProperty"/>)
/// and the local's name is free in the block around the loop. A loop that runs no iteration now makes the call once.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LoopInvariantModelCallFixer)), Shared]
public sealed class LoopInvariantModelCallFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.LoopInvariantModelCall + ".Hoist";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.LoopInvariantModelCall);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (fixAll, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync(fixAll.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var moves = diagnostics.Select(d => Find(root, d)).OfType<Move>().OrderBy(m => m.Statement.SpanStart).ToArray();
        return moves.Length == 0 ? null : document.WithSyntaxRoot(Hoist(root, moves));
    });

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Find(root, diagnostic) is { } move)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make the call once, before the loop", _ => Task.FromResult(context.Document.WithSyntaxRoot(Hoist(root, new[] { move }))), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private sealed record Move(LocalDeclarationStatementSyntax Statement, StatementSyntax Loop);

    private static Move? Find(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(LoopInvariantModelCallAnalyzer.HoistableProperty)
            || root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { Parent: BlockSyntax { Parent: StatementSyntax loop } } statement
            || loop.Parent is not BlockSyntax outer)
        {
            return null;
        }

        // The local moves into the block around the loop: no other declaration there may use its name.
        var name = statement.Declaration.Variables[0].Identifier.ValueText;
        bool taken = ScopeNames.DeclaredIn(outer, except: statement).Contains(name);
        return taken ? null : new Move(statement, loop);
    }

    private static SyntaxNode Hoist(SyntaxNode root, IReadOnlyList<Move> moves)
    {
        var tracked = root.TrackNodes(moves.SelectMany(m => new SyntaxNode[] { m.Statement, m.Loop }));
        foreach (var move in moves)
        {
            if (tracked.GetCurrentNode(move.Statement) is not { } statement)
            {
                continue;
            }

            tracked = tracked.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia)!;
            if (tracked.GetCurrentNode(move.Loop) is { } loop)
            {
                tracked = tracked.InsertNodesBefore(loop, new[] { statement.WithAdditionalAnnotations(Formatter.Annotation) });
            }
        }

        return tracked;
    }
}
