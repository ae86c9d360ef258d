using System;
using System.Collections.Immutable;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// The members the <c>[CachedPrompt]</c> generator may add to a type, so that code writing members into such a type
/// (the TL4001 fix) keeps clear of them. A generator test checks that every member the generator writes is here.
/// </summary>
public static class GeneratedMembers
{
    /// <summary>The names of the generated constants that hold prompt files' texts: this, a number, and as many leading underscores as a clash needs.</summary>
    public const string PromptFileConstantPrefix = "PromptFile";

    /// <summary>Every fixed name the generator writes: constants, public methods and private helpers.</summary>
    public static readonly ImmutableHashSet<string> Names = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "StaticPrefixTokenCount",
        "StaticPrefixTokenCountIsEstimate",
        "StaticPrefixHash",
        "Render",
        "RenderStatic",
        "RenderSession",
        "RenderVolatile",
        "ComputeStaticPrefixHash",
        "ToChatMessages",
        "AddPromptPart",
        "GetTools",
        "ToChatOptions",
        "AddPromptTools",
        "ToAnthropicSystem",
        "AddAnthropicBlock",
        "JoinPromptLines",
        "FormatPromptPairs",
        "PromptItemsOrEmpty",
        "AppendPromptSection");

    /// <summary>Whether the generator may write a member with this name: one of <see cref="Names"/>, or a prompt file's constant (<c>PromptFile1</c>, <c>_PromptFile1</c>).</summary>
    public static bool IsGeneratedName(string name)
    {
        if (Names.Contains(name))
        {
            return true;
        }

        string trimmed = name.TrimStart('_');
        if (!trimmed.StartsWith(PromptFileConstantPrefix, StringComparison.Ordinal) || trimmed.Length == PromptFileConstantPrefix.Length)
        {
            return false;
        }

        for (int i = PromptFileConstantPrefix.Length; i < trimmed.Length; i++)
        {
            if (trimmed[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
