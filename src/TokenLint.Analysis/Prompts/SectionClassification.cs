namespace TokenLint.Analysis.Prompts;

/// <summary>How the <c>[CachedPrompt]</c> builder turns a section's value into the prompt.</summary>
public enum PromptSectionKind
{
    /// <summary>A string, as it is.</summary>
    String,

    /// <summary>A value that formats itself (number, date, enum), with the invariant culture.</summary>
    Formattable,

    /// <summary>A collection of strings, one a line, in its order.</summary>
    Lines,

    /// <summary>A collection of (input, output) pairs: few-shot examples.</summary>
    Pairs,

    /// <summary>A static list of Microsoft.Extensions.AI tools: sent as tools sorted by name, not as text.</summary>
    Tools,
}

/// <summary>
/// What the builder makes of one <c>[PromptSection]</c> member, decided once by
/// <see cref="PromptSections.Classify"/> for the generator and TL9105 alike.
/// </summary>
/// <param name="Kind">How the builder reads the member's value; null when it cannot read it.</param>
/// <param name="LeftOutBecause">
/// Why the member is not in the prompt, as the end of a sentence that starts with its name (<c>is a List&lt;int&gt;: …</c>);
/// null when it is laid out, or when broken code (an unknown type) leaves it out and the compiler already says why.
/// A member whose stability is out of range has a <see cref="Kind"/> and a reason: it can be read, but no part of
/// the prompt holds it.
/// </param>
/// <param name="IsCall">A method: read by calling it with no arguments.</param>
/// <param name="IsImmutableArray">An <c>ImmutableArray&lt;T&gt;</c> collection, which may be default (uninitialised).</param>
/// <param name="PairInput">For few-shot pairs, the member of one pair that holds its input (<c>Item1</c>, <c>Key</c>).</param>
/// <param name="PairOutput">For few-shot pairs, the member of one pair that holds its output (<c>Item2</c>, <c>Value</c>).</param>
public sealed record SectionClassification(
    PromptSectionKind? Kind,
    string? LeftOutBecause,
    bool IsCall = false,
    bool IsImmutableArray = false,
    string? PairInput = null,
    string? PairOutput = null)
{
    /// <summary>Whether the builder sends the member: it can read it and its stability is Static, Session or Volatile.</summary>
    public bool IsLaidOut => Kind is not null && LeftOutBecause is null;
}
