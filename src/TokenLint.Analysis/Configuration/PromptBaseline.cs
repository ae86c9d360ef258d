using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Json;

namespace TokenLint.Analysis.Configuration;

/// <summary>One recorded prompt size: its key, its token count, and where the count is written in the file.</summary>
public sealed class BaselineEntry
{
    public BaselineEntry(string key, int count, int valueOffset, int valueLength)
    {
        Key = key;
        Count = count;
        ValueOffset = valueOffset;
        ValueLength = valueLength;
    }

    public string Key { get; }

    public int Count { get; }

    /// <summary>Where the number is written, so that a fix can rewrite just it.</summary>
    public int ValueOffset { get; }

    public int ValueLength { get; }
}

/// <summary>
/// <c>tokenlint.baseline.json</c>: each prompt's recorded token count by a stable key — <c>Namespace.Type.Member</c>
/// for a prompt in a constant or field, the path relative to the baseline file for a prompt file:
/// <c>{ "prompts": { "SupportAgent.SupportPolicy.Text": 1600, "Prompts/support.prompt.md": 1200 } }</c>.
/// </summary>
public sealed class PromptBaseline
{
    public const string FileName = "tokenlint.baseline.json";

    private static readonly ConditionalWeakTable<SourceText, PromptBaseline> Cache = new();

    private PromptBaseline(string path, IReadOnlyDictionary<string, BaselineEntry> entries, IReadOnlyList<CatalogProblem> problems)
    {
        Path = path;
        Entries = entries;
        Problems = problems;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, BaselineEntry> Entries { get; }

    public IReadOnlyList<CatalogProblem> Problems { get; }

    /// <summary>The project's baseline file, read once per text; null when there is none.</summary>
    public static PromptBaseline? Find(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        foreach (var file in options.AdditionalFiles)
        {
            if (System.IO.Path.GetFileName(file.Path).Equals(FileName, StringComparison.OrdinalIgnoreCase) && file.GetText(cancellationToken) is { } text)
            {
                return Cache.GetValue(text, t => Read(file.Path, t.ToString()));
            }
        }

        return null;
    }

    public static PromptBaseline Read(string path, string text)
    {
        var entries = new Dictionary<string, BaselineEntry>(StringComparer.Ordinal);
        var problems = new List<CatalogProblem>();
        try
        {
            var root = JsonReader.Parse(text);
            if (root.Kind != JsonKind.Object || root["prompts"] is not { Kind: JsonKind.Object } prompts)
            {
                problems.Add(new CatalogProblem("expected an object with a \"prompts\" object of token counts", root.Line, root.Column, root.Offset));
            }
            else
            {
                foreach (var member in prompts.Members)
                {
                    var value = member.Value;
                    if (value.Kind != JsonKind.Number || value.NumberValue < 0 || value.NumberValue > int.MaxValue || Math.Floor(value.NumberValue) != value.NumberValue)
                    {
                        problems.Add(new CatalogProblem($"the count of '{member.Key}' must be a whole number of tokens", value.Line, value.Column, value.Offset));
                        continue;
                    }

                    int length = 0;
                    while (value.Offset + length < text.Length && (char.IsDigit(text[value.Offset + length]) || text[value.Offset + length] is '.' or 'e' or 'E' or '+' or '-'))
                    {
                        length++;
                    }

                    entries[member.Key] = new BaselineEntry(member.Key, (int)value.NumberValue, value.Offset, length);
                }
            }
        }
        catch (JsonReaderException e)
        {
            problems.Add(new CatalogProblem(e.Problem, e.Line, e.Column, e.Offset));
        }

        return new PromptBaseline(path, entries, problems);
    }

    /// <summary>The key of a prompt file: its path relative to the baseline file's folder, with forward slashes.</summary>
    public string KeyOf(string promptFilePath)
    {
        string folder = System.IO.Path.GetDirectoryName(Path) ?? "";
        string full = promptFilePath.Replace('\\', '/');
        string prefix = folder.Replace('\\', '/').TrimEnd('/') + "/";
        return full.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? full.Substring(prefix.Length) : System.IO.Path.GetFileName(promptFilePath);
    }
}
