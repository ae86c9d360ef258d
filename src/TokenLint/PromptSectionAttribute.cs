using System;

namespace TokenLint;

/// <summary>Marks a member of a <see cref="CachedPromptAttribute"/> type as one section of the prompt.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class PromptSectionAttribute : Attribute
{
    /// <summary>Creates a section with the given stability.</summary>
    public PromptSectionAttribute(Stability stability)
    {
        Stability = stability;
    }

    /// <summary>How often the section changes.</summary>
    public Stability Stability { get; }

    /// <summary>Position among sections of the same stability; lower comes first. Declaration order when unset.</summary>
    public int Order { get; set; } = int.MaxValue;
}
