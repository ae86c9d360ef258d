using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.Prompts;

/// <summary>How often a piece of prompt text changes, which decides whether a provider can cache what follows it.</summary>
public enum Volatility
{
    /// <summary>The same on every call: literals, constants.</summary>
    Static,

    /// <summary>Not visible at build time (a field, a method result): neither counted as static nor flagged.</summary>
    Unknown,

    /// <summary>Changes once a day: a date without a time of day (<c>{DateTime.UtcNow:D}</c>, <c>DateTime.Today</c>).</summary>
    Daily,

    /// <summary>Changes between requests, maybe not within a session: a method parameter or a value derived from one.</summary>
    PerRequest,

    /// <summary>Changes on every call: the clock, a GUID, a random number, a tick count.</summary>
    PerCall,
}

/// <summary>One piece of a prompt: static text, or a value whose text is only known at run time.</summary>
public sealed class PromptSegment
{
    public PromptSegment(Volatility volatility, string? text, string? reason, SyntaxNode syntax, IParameterSymbol? parameter = null)
    {
        Volatility = volatility;
        Text = text;
        Reason = reason;
        Syntax = syntax;
        Parameter = parameter;
    }

    public Volatility Volatility { get; }

    /// <summary>The text, for static segments.</summary>
    public string? Text { get; }

    /// <summary>What makes it volatile: <c>DateTime.UtcNow</c>, <c>parameter 'customer'</c>.</summary>
    public string? Reason { get; }

    /// <summary>The expression (or literal) the segment comes from.</summary>
    public SyntaxNode Syntax { get; }

    /// <summary>The parameter when the segment is exactly a parameter's value: a helper method's prompt puts the
    /// caller's argument there.</summary>
    public IParameterSymbol? Parameter { get; }

    public bool IsVolatile => Volatility is Volatility.PerCall or Volatility.PerRequest or Volatility.Daily;
}

/// <summary>
/// The text of one prompt as the compiler sees it: an ordered list of static and volatile segments, built from
/// literals, constants, interpolated and raw strings, concatenation, <c>string.Format</c>, <c>StringBuilder</c>
/// appends and the locals and fields those flow through. Shared by the caching, context-size and generator code.
/// </summary>
public sealed class PromptText
{
    public PromptText(IReadOnlyList<PromptSegment> segments)
    {
        Segments = segments;
    }

    public IReadOnlyList<PromptSegment> Segments { get; }

    /// <summary>Text the code does not show (a message from elsewhere, an image block): one unknown segment.</summary>
    public static PromptText Opaque(SyntaxNode syntax) => new(new[] { new PromptSegment(Volatility.Unknown, null, null, syntax) });

    /// <summary>True when every segment is static: the whole text is known at build time.</summary>
    public bool IsConstant => Segments.All(s => s.Volatility == Volatility.Static);

    /// <summary>The static text, with run-time values left out.</summary>
    public string StaticText => StaticTextFrom(0);

    /// <summary>The static text of the segments from <paramref name="start"/> on.</summary>
    public string StaticTextFrom(int start)
    {
        var builder = new StringBuilder();
        for (int i = start; i < Segments.Count; i++)
        {
            if (Segments[i].Volatility == Volatility.Static)
            {
                builder.Append(Segments[i].Text);
            }
        }

        return builder.ToString();
    }
}
