using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analysis.Prompts;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>
/// TL4002: rewrite the literal with its whitespace normalised, in the same kind of literal (regular, verbatim or
/// raw). Only whitespace changes, and fenced code blocks are left as they are.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WhitespacePaddingFixer)), Shared]
public sealed class WhitespacePaddingFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.WhitespacePadding + ".TrimWhitespace";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.WhitespacePadding);

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is LiteralExpressionSyntax { Token.Value: string text } literal
                && Rewrite(literal.Token, WhitespaceNormalizer.Normalize(text)) is { } token)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Trim the prompt's whitespace", ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, literal.WithToken(token)))), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static SyntaxToken? Rewrite(SyntaxToken token, string value)
    {
        string source = token.Text;
        if (token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
        {
            // Keep the raw string: same quotes, each line at the closing quotes' indentation.
            int quotes = source.TakeWhile(c => c == '"').Count();
            string closingLine = source.Substring(source.LastIndexOf('\n') + 1);
            string indent = closingLine.Substring(0, closingLine.Length - quotes);
            string newline = source.Contains("\r\n") ? "\r\n" : "\n";
            string delimiter = new('"', quotes);
            var lines = value.Replace("\r\n", "\n").Split('\n').Select(line => line.Length == 0 ? line : indent + line);
            string text = delimiter + newline + string.Join(newline, lines) + newline + indent + delimiter;
            return SyntaxFactory.ParseToken(text).WithTriviaFrom(token);
        }

        if (source.StartsWith("@", System.StringComparison.Ordinal))
        {
            return SyntaxFactory.Literal("@\"" + value.Replace("\"", "\"\"") + "\"", value).WithTriviaFrom(token);
        }

        return source.StartsWith("\"", System.StringComparison.Ordinal) && !source.StartsWith("\"\"\"", System.StringComparison.Ordinal)
            ? SyntaxFactory.Literal(value).WithTriviaFrom(token)
            : null;
    }
}
