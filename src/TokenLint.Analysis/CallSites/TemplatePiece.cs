using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// One piece of a prompt that an SDK renders from a template (Semantic Kernel's <c>{{$name}}</c>): text of the
/// template, a value the code shows, or a value the code does not show, filled in per request.
/// </summary>
public sealed class TemplatePiece
{
    private TemplatePiece(string? text, IOperation? value, string? reason, SyntaxNode syntax)
    {
        Text = text;
        Value = value;
        Reason = reason;
        Syntax = syntax;
    }

    /// <summary>The template's own text, for a text piece.</summary>
    public string? Text { get; }

    /// <summary>The expression whose value the template renders here, when the code shows it.</summary>
    public IOperation? Value { get; }

    /// <summary>What fills in a value the code does not show (<c>template variable 'input'</c>); null for text the
    /// template computes in a way the code does not show (a function the template calls).</summary>
    public string? Reason { get; }

    /// <summary>The template, or the value's expression.</summary>
    public SyntaxNode Syntax { get; }

    public bool IsText => Text is not null;

    public static TemplatePiece FromText(string text, SyntaxNode template) => new(text, null, null, template);

    public static TemplatePiece FromValue(IOperation value) => new(null, value, null, value.Syntax);

    public static TemplatePiece PerRequest(string reason, SyntaxNode template) => new(null, null, reason, template);

    public static TemplatePiece Unknown(SyntaxNode template) => new(null, null, null, template);
}
