using System;
using System.Collections.Generic;
using System.IO;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Json;

namespace TokenLint.Analysis.Configuration;

/// <summary>One recorded prompt size: its key, its token count, and where the count is written in the file.</summary>
public sealed class BaselineEntry
{
    public BaselineEntry(string key, int count, int valueOffset, int valueLength, string? model = null)
    {
        Key = key;
        Count = count;
        ValueOffset = valueOffset;
        ValueLength = valueLength;
        Model = model;
    }

    public string Key { get; }

    public int Count { get; }

    /// <summary>The model the prompt is sent to, where the analyzers knew it when the baseline was written.</summary>
    public string? Model { get; }

    /// <summary>Where the number is written, so that a fix can rewrite just it.</summary>
    public int ValueOffset { get; }

    public int ValueLength { get; }
}

/// <summary>
/// <c>tokenlint.baseline.json</c>: each prompt's recorded token count by a stable key — <c>Namespace.Type.Member</c>
/// for a prompt in a constant or field, the path relative to the baseline file for a prompt file:
/// <c>{ "prompts": { "SupportAgent.SupportPolicy.Text": 1600, "Prompts/support.prompt.md": 1200 } }</c>. An entry may
/// also be an object that names the model the prompt goes to, <c>"SupportAgent.SupportPolicy.Text": { "tokens": 1600,
/// "model": "gpt-4.1" }</c>, which <c>tokenlint diff</c> prices; the writer uses it where the model is known.
/// </summary>
public sealed partial class PromptBaseline
{
    public const string FileName = "tokenlint.baseline.json";

    private PromptBaseline(string path, IReadOnlyDictionary<string, BaselineEntry> entries, IReadOnlyList<CatalogProblem> problems)
    {
        Path = path;
        Entries = entries;
        Problems = problems;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, BaselineEntry> Entries { get; }

    public IReadOnlyList<CatalogProblem> Problems { get; }

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
                    string? model = null;
                    if (value.Kind == JsonKind.Object)
                    {
                        if (value["model"] is { } modelNode)
                        {
                            if (modelNode.Kind != JsonKind.String || string.IsNullOrWhiteSpace(modelNode.StringValue))
                            {
                                problems.Add(new CatalogProblem($"the model of '{member.Key}' must be a model id", modelNode.Line, modelNode.Column, modelNode.Offset));
                                continue;
                            }

                            model = modelNode.StringValue;
                        }

                        if (value["tokens"] is not { } tokens)
                        {
                            problems.Add(new CatalogProblem($"the entry of '{member.Key}' needs \"tokens\", its size in tokens", value.Line, value.Column, value.Offset));
                            continue;
                        }

                        value = tokens;
                    }

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

                    entries[member.Key] = new BaselineEntry(member.Key, (int)value.NumberValue, value.Offset, length, model);
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
