using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>TL9101: make the <c>[CachedPrompt]</c> type partial, so that the generator can add its builder.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CachedPromptGetsNoBuilderFixer)), Shared]
public sealed class CachedPromptGetsNoBuilderFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.CachedPromptGetsNoBuilder + ".MakePartial";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CachedPromptGetsNoBuilder);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            // Only the not-partial case has a mechanical fix; moving a nested type out, or making a file-local type
            // visible to the whole assembly, is the user's call (partial alone would not give it a builder).
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                && !declaration.Modifiers.Any(SyntaxKind.FileKeyword))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make the type partial", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(declaration, MakePartial(declaration)))), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>Adds <c>partial</c> last among the modifiers, where the language requires it.</summary>
    private static TypeDeclarationSyntax MakePartial(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Count == 0)
        {
            // The keyword takes over the leading trivia (attributes stay on their own lines before it).
            var keyword = declaration.Keyword;
            var withPartial = declaration.WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space))));
            return withPartial.WithKeyword(keyword.WithLeadingTrivia());
        }

        return declaration.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
    }
}
