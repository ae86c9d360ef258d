using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// A model call that a method of the compilation makes with prompt text from its parameters, as one call of that
/// method sends it: <c>AskAsync($"Today is {DateTime.Now}…", question)</c> reaching
/// <c>new SystemChatMessage(systemPrompt)</c>.
/// </summary>
public sealed class ForwardedPrompt
{
    private readonly ISet<PromptSegment> _given;

    public ForwardedPrompt(ModelCallSite callSite, IReadOnlyList<PromptText> parts, ISet<PromptSegment> given, IReadOnlyList<IOperation?> partArguments)
    {
        CallSite = callSite;
        Parts = parts;
        _given = given;
        PartArguments = partArguments;
    }

    /// <summary>The model call the method makes.</summary>
    public ModelCallSite CallSite { get; }

    /// <summary>The text of each of its prompt parts, with the method's parameters replaced by this call's arguments.</summary>
    public IReadOnlyList<PromptText> Parts { get; }

    /// <summary>For each part, the first of this call's arguments whose text went into it, or null.</summary>
    public IReadOnlyList<IOperation?> PartArguments { get; }

    /// <summary>True for a segment this call's arguments gave (not the method's own text).</summary>
    public bool IsGivenByCall(PromptSegment segment) => _given.Contains(segment);
}
