using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.Prompts;

/// <summary>The prompt file a <c>[PromptFile]</c> names: which AdditionalFile it is, and its text as a section.</summary>
public static partial class PromptSections
{
    /// <summary>
    /// Whether an AdditionalFile at <paramref name="additionalFilePath"/> is the prompt file a <c>[PromptFile]</c>
    /// names with <paramref name="relativePath"/>: the full path ends with the relative path, segment by segment,
    /// with <c>/</c> and <c>\</c> alike, <c>.</c> segments and leading <c>..</c> segments ignored; the file name is compared exactly, folder
    /// names ignoring case (a Windows checkout may spell a folder differently).
    /// </summary>
    public static bool PromptFileMatches(string additionalFilePath, string relativePath)
    {
        // A path that leaves the project (../Shared/policy.prompt.md) matches on the part after the "..".
        var wanted = Segments(relativePath).SkipWhile(segment => segment == "..").ToArray();
        var actual = Segments(additionalFilePath);
        if (wanted.Length == 0 || wanted.Length > actual.Length)
        {
            return false;
        }

        int offset = actual.Length - wanted.Length;
        for (int i = 0; i < wanted.Length; i++)
        {
            var comparison = i == wanted.Length - 1 ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            if (!string.Equals(wanted[i], actual[offset + i], comparison))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first AdditionalFile that <see cref="PromptFileMatches"/> the relative path, if any.</summary>
    public static AdditionalText? FindPromptFile(ImmutableArray<AdditionalText> additionalFiles, string relativePath) =>
        additionalFiles.FirstOrDefault(file => file.Path is { } path && PromptFileMatches(path, relativePath));

    /// <summary>
    /// The longest prompt file a builder embeds, in characters. A constant much larger fails the build at emit
    /// (CS8103, the assembly's string heap is full), and a prompt this size belongs in a file loaded at run time.
    /// </summary>
    public const int MaxPromptFileLength = 1_000_000;

    /// <summary>
    /// The section text of the prompt file a <c>[PromptFile]</c> names, or null when no AdditionalFile matches, it has
    /// no text, or it is longer than <see cref="MaxPromptFileLength"/> (the builder leaves it out; TL9104 says why).
    /// </summary>
    public static string? PromptFileSectionText(ImmutableArray<AdditionalText> additionalFiles, string relativePath, CancellationToken cancellationToken) =>
        FindPromptFile(additionalFiles, relativePath)?.GetText(cancellationToken) is { Length: <= MaxPromptFileLength } text ? PromptFileSectionText(text.ToString()) : null;

    private static string[] Segments(string path) =>
        path.Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries).Where(segment => segment != ".").ToArray();

    /// <summary>
    /// A prompt file's text as a section: <c>\r\n</c> line breaks made <c>\n</c>, so that the hash is the same on a
    /// Windows and a Linux checkout, and one final line break dropped, as a raw string literal drops it.
    /// </summary>
    public static string PromptFileSectionText(string fileText)
    {
        string text = fileText.Replace("\r\n", "\n");
        return text.EndsWith("\n", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;
    }
}
