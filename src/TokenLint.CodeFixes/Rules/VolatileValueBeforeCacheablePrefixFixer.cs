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
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>
/// TL2001: move the sentence or line that holds the volatile value to the end of its interpolated string, so the
/// static text comes first. The text is otherwise unchanged: only its order changes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VolatileValueBeforeCacheablePrefixFixer)), Shared]
public sealed class VolatileValueBeforeCacheablePrefixFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.VolatileValueBeforeCacheablePrefix + ".MoveVolatileValueLast";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.VolatileValueBeforeCacheablePrefix);

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
            if (!diagnostic.Properties.ContainsKey(TokenLint.Analyzers.Rules.VolatileValueBeforeCacheablePrefixAnalyzer.FixableProperty))
            {
                // The static text is in another string or message: moving the value within its string would not help.
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node.FirstAncestorOrSelf<InterpolationSyntax>() is { Parent: InterpolatedStringExpressionSyntax text } hole
                && TryMoveLast(text, hole) is { } rewritten)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Move the volatile value after the static text",
                        ct => ReplaceAsync(context.Document, text, rewritten, ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, SyntaxNode original, string replacement, CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        return document.WithText(text.WithChanges(new TextChange(original.Span, replacement)));
    }

    /// <summary>
    /// The string's new source text, or null when there is nothing to move past (the value is already in the last
    /// sentence) or the layout is one this fix does not rewrite.
    /// </summary>
    internal static string? TryMoveLast(InterpolatedStringExpressionSyntax text, InterpolationSyntax hole)
    {
        string source = text.ToString();
        int contentStart = text.StringStartToken.Span.End - text.SpanStart;
        int contentEnd = text.StringEndToken.SpanStart - text.SpanStart;
        bool raw = text.StringStartToken.IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken)
            || text.StringStartToken.IsKind(SyntaxKind.InterpolatedSingleLineRawStringStartToken);
        bool verbatim = text.StringStartToken.ValueText.Contains("@");
        bool multiLineRaw = text.StringStartToken.IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken);
        if (multiLineRaw)
        {
            // The content runs from after the opening line to the start of the closing line (whether the tokens
            // own those line breaks or not).
            contentStart = source.IndexOf('\n') + 1;
            contentEnd = source.LastIndexOf('\n') + 1;
            if (contentStart <= 0 || contentEnd <= contentStart)
            {
                return null;
            }
        }

        int holeStart = hole.SpanStart - text.SpanStart;
        int holeEnd = hole.Span.End - text.SpanStart;
        string newline = raw || verbatim ? "\n" : "\\n";

        // The sentence or line around the value: back to the previous boundary, on to the next one.
        int start = holeStart;
        while (start > contentStart && !IsBoundaryBefore(source, start, newline) && source[start - 1] != '}')
        {
            start--;
        }

        if (start > contentStart && source[start - 1] == '}')
        {
            return null;
        }

        int end = holeEnd;
        int removeEnd = -1;
        while (end < contentEnd)
        {
            if (IsNewlineAt(source, end, newline))
            {
                removeEnd = end + newline.Length;
                break;
            }

            if (IsSentenceEndAt(source, end, contentEnd))
            {
                end++;
                removeEnd = end + 1;
                break;
            }

            if (source[end] == '{')
            {
                return null;
            }

            end++;
        }

        if (removeEnd < 0 || removeEnd >= contentEnd)
        {
            // The value is already in the last sentence: moving it would change nothing.
            return null;
        }

        // A line under a header ("Context:\n{value}") belongs to it: moving it alone would orphan the header.
        if (start > contentStart && IsNewlineBefore(source, start, newline) && source.Substring(contentStart, start - contentStart).TrimEnd('\r', '\n', '\\', 'n', ' ').EndsWith(":", System.StringComparison.Ordinal))
        {
            return null;
        }

        // CRLF in verbatim and raw strings: the carriage return stays with the line break.
        if (newline == "\n" && end > start && source[end - 1] == '\r')
        {
            end--;
            newline = "\r\n";
        }

        string moved = source.Substring(start, end - start);
        string before = source.Substring(contentStart, start - contentStart);
        string after = source.Substring(removeEnd, contentEnd - removeEnd);
        if (multiLineRaw)
        {
            // Whole lines only: keep the raw string's indentation intact.
            int lineStart = source.LastIndexOf('\n', start - 1) + 1;
            if (source.Substring(lineStart, start - lineStart).Trim().Length > 0 || !newline.EndsWith("\n", System.StringComparison.Ordinal) || !source.Substring(removeEnd - 1, 1).Equals("\n"))
            {
                return null;
            }

            return source.Substring(0, lineStart) + source.Substring(removeEnd, contentEnd - removeEnd)
                + source.Substring(lineStart, removeEnd - lineStart) + source.Substring(contentEnd);
        }

        string rest = before + after;
        string separator = rest.EndsWith(newline, System.StringComparison.Ordinal) ? "" : SeparatorFor(rest, newline, removeEnd, source);
        return source.Substring(0, contentStart) + rest + separator + moved + source.Substring(contentEnd);
    }

    /// <summary>A moved line, or a sentence after multi-line text, goes on a line of its own; otherwise it follows
    /// the text it now ends, after a space.</summary>
    private static string SeparatorFor(string rest, string newline, int removeEnd, string source) =>
        string.CompareOrdinal(source, removeEnd - newline.Length, newline, 0, newline.Length) == 0 || rest.Contains(newline) ? newline : " ";

    private static bool IsBoundaryBefore(string source, int position, string newline) =>
        IsNewlineBefore(source, position, newline)
        || (position >= 2 && source[position - 1] == ' ' && IsSentenceEndAt(source, position - 2, source.Length));

    private static bool IsNewlineBefore(string source, int position, string newline) =>
        position >= newline.Length && IsNewlineAt(source, position - newline.Length, newline);

    /// <summary>A line break: a real one, or the escape <c>\n</c> when its backslash is not itself escaped.</summary>
    private static bool IsNewlineAt(string source, int position, string newline)
    {
        if (string.CompareOrdinal(source, position, newline, 0, newline.Length) != 0)
        {
            return false;
        }

        int backslashes = 0;
        for (int i = position - 1; i >= 0 && source[i] == '\\'; i--)
        {
            backslashes++;
        }

        return newline[0] != '\\' || backslashes % 2 == 0;
    }

    private static readonly string[] Abbreviations = { "Mr", "Mrs", "Ms", "Dr", "St", "vs", "etc", "e.g", "i.e", "approx", "No" };

    /// <summary>'.', '!' or '?' then a space and a capital letter, not after an abbreviation ("Dr. Smith", "e.g. this").</summary>
    private static bool IsSentenceEndAt(string source, int position, int limit)
    {
        if (position + 2 >= limit || source[position] is not ('.' or '!' or '?') || source[position + 1] != ' ' || !char.IsUpper(source[position + 2]))
        {
            return false;
        }

        int wordStart = position;
        while (wordStart > 0 && (char.IsLetter(source[wordStart - 1]) || source[wordStart - 1] == '.'))
        {
            wordStart--;
        }

        return System.Array.IndexOf(Abbreviations, source.Substring(wordStart, position - wordStart)) < 0;
    }
}
