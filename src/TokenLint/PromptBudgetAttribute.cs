using System;

namespace TokenLint;

/// <summary>
/// Sets the token budget of the prompt held by a constant, field or property (TL4001), overriding
/// <c>tokenlint.tl4001.max_prompt_tokens</c> for that prompt alone.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class PromptBudgetAttribute : Attribute
{
    /// <summary>Creates a budget of <paramref name="maxTokens"/> tokens.</summary>
    public PromptBudgetAttribute(int maxTokens)
    {
        MaxTokens = maxTokens;
    }

    /// <summary>The most tokens the prompt may have before TL4001 reports it.</summary>
    public int MaxTokens { get; }
}
