using System;
using System.Collections.Generic;
using System.IO;
using TokenLint.Runtime.Cascade;

namespace TokenLint.CascadeReplay;

/// <summary>RouteLLM's GSM8K responses as replay rows: prompt, Mixtral's and GPT-4's answers, and the labels when present.</summary>
internal static class GsmReplayRows
{
    /// <summary>List prices per million tokens: Mixtral-8x7B $0.60 in and out; gpt-4-1106-preview $10 in, $30 out.</summary>
    public static IReadOnlyList<CascadeReplayTier> Tiers { get; } =
    [
        new("mixtral-8x7b-instruct-v0.1", 0.60m, 0.60m),
        new("gpt-4-1106-preview", 10m, 30m),
    ];

    public static IReadOnlyList<CascadeReplayRow> Read(string path)
    {
        var table = CsvTable.Read(path);
        int prompt = table.Column("prompt", path);
        int cheap = table.Column("cheap_response", path);
        int strong = table.Column("strong_response", path);
        bool labelled = table.Has("cheap_correct") && table.Has("strong_correct");
        int cheapCorrect = labelled ? table.Column("cheap_correct", path) : -1;
        int strongCorrect = labelled ? table.Column("strong_correct", path) : -1;

        var rows = new List<CascadeReplayRow>(table.Rows.Count);
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var fields = table.Rows[r];
            bool[]? correct = labelled ? [Label(fields[cheapCorrect], path, r), Label(fields[strongCorrect], path, r)] : null;
            rows.Add(new CascadeReplayRow(fields[prompt], [fields[cheap], fields[strong]], correct));
        }

        return rows;
    }

    private static bool Label(string value, string path, int row) =>
        bool.TryParse(value.Trim(), out bool label)
            ? label
            : value.Trim() is "1" || (value.Trim() is "0" ? false : throw new InvalidDataException($"{path}: data row {row}: '{value}' is not True or False."));
}
