using System;

namespace TokenLint;

/// <summary>
/// Adds a static section to a <see cref="CachedPromptAttribute"/> type whose text is the content of a prompt file
/// that the project lists as an AdditionalFile (<c>&lt;AdditionalFiles Include="Prompts/policy.prompt.md" /&gt;</c>).
/// The generator reads the file at build time and lays it out, counts it and hashes it like a <c>const</c> string
/// section: line breaks are normalised to <c>\n</c> (so a Windows and a Linux checkout give the same hash) and one
/// final line break is dropped.
/// </summary>
/// <remarks>
/// The AdditionalFile used is the first whose path ends with <see cref="Path"/>, compared segment by segment with
/// <c>/</c> and <c>\</c> alike: the file name exactly, the folders ignoring case. When none matches, the section
/// is left out and TL9104 says so.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = true)]
public sealed class PromptFileAttribute : Attribute
{
    /// <summary>Creates a static section from the prompt file at <paramref name="path"/>, relative to the project.</summary>
    public PromptFileAttribute(string path)
    {
        Path = path;
    }

    /// <summary>The file's path relative to the project, for example <c>Prompts/policy.prompt.md</c>.</summary>
    public string Path { get; }

    /// <summary>
    /// Position among the static sections; lower comes first, as <see cref="PromptSectionAttribute.Order"/>. When
    /// unset, or equal to a member's, the file comes after the static members, files in attribute order.
    /// </summary>
    public int Order { get; set; } = int.MaxValue;
}
