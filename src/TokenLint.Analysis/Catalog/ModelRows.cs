using System;
using System.Collections.Generic;
using System.Globalization;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Catalog;

/// <summary>
/// The built-in catalog as data the compiler stores without code: one string constant with each model's text fields
/// and one array of numbers, written by the catalog generator at build time and turned back into models on first use.
/// Object initializers setting 25 properties on each model compiled to 42 KB of IL, which every compiler process
/// running TokenLint had to compile to machine code before the first rule ran; a constant string and a numeric array
/// (stored as a data blob) cost almost nothing to load, and the loop below is a few hundred bytes.
/// </summary>
internal static class ModelRows
{
    /// <summary>Text fields per model: Id, Family, Aliases, RetirementDate, Replacement, CheaperSibling, Checked, Notes.</summary>
    public const int TextsPerModel = 8;

    /// <summary>
    /// Numbers per model: Provider, Tier, Tokenizer, InputPrice, OutputPrice, CacheWrite5mPrice, CacheWrite1hPrice,
    /// CacheReadPrice, LongContextThreshold, LongContextInputPrice, LongContextOutputPrice, BatchDiscount,
    /// MaxOutputTokens, MinCacheablePrefixTokens, ContextWindow, Status, Unconfirmed; NaN for a missing value.
    /// </summary>
    public const int NumbersPerModel = 17;

    public const char FieldSeparator = '\u001f';

    public const char AliasSeparator = '\u001e';

    /// <summary>Stands for a null text field (an empty one stays empty).</summary>
    public const string Null = "\u0000";

    public static ModelInfo[] Decode(string texts, double[] numbers)
    {
        string[] fields = texts.Split(FieldSeparator);
        var models = new ModelInfo[numbers.Length / NumbersPerModel];
        for (int i = 0; i < models.Length; i++)
        {
            int t = i * TextsPerModel;
            int n = i * NumbersPerModel;
            models[i] = new ModelInfo
            {
                Id = fields[t],
                Family = Text(fields[t + 1]),
                Aliases = fields[t + 2].Length == 0 ? Array.Empty<string>() : fields[t + 2].Split(AliasSeparator),
                RetirementDate = Text(fields[t + 3]),
                Replacement = Text(fields[t + 4]),
                CheaperSibling = Text(fields[t + 5]),
                Checked = Text(fields[t + 6]),
                Notes = Text(fields[t + 7]),
                Provider = (ModelProvider)(int)numbers[n],
                Tier = (ModelTier)(int)numbers[n + 1],
                Tokenizer = double.IsNaN(numbers[n + 2]) ? null : (TokenEncoding)(int)numbers[n + 2],
                InputPrice = Number(numbers[n + 3]),
                OutputPrice = Number(numbers[n + 4]),
                CacheWrite5mPrice = Number(numbers[n + 5]),
                CacheWrite1hPrice = Number(numbers[n + 6]),
                CacheReadPrice = Number(numbers[n + 7]),
                LongContextThreshold = Integer(numbers[n + 8]),
                LongContextInputPrice = Number(numbers[n + 9]),
                LongContextOutputPrice = Number(numbers[n + 10]),
                BatchDiscount = Number(numbers[n + 11]),
                MaxOutputTokens = Integer(numbers[n + 12]),
                MinCacheablePrefixTokens = Integer(numbers[n + 13]),
                ContextWindow = Integer(numbers[n + 14]),
                Status = (ModelStatus)(int)numbers[n + 15],
                Unconfirmed = numbers[n + 16] != 0,
            };
        }

        return models;
    }

    /// <summary>The inverse of <see cref="Decode"/>; throws when a text field holds one of the separators.</summary>
    public static (string Texts, double[] Numbers) Encode(IReadOnlyList<ModelInfo> models)
    {
        var texts = new List<string>(models.Count * TextsPerModel);
        var numbers = new double[models.Count * NumbersPerModel];
        for (int i = 0; i < models.Count; i++)
        {
            var m = models[i];
            foreach (string alias in m.Aliases)
            {
                Check(alias, m.Id);
            }

            texts.Add(Check(m.Id, m.Id));
            texts.Add(Encode(m.Family, m.Id));
            texts.Add(string.Join(AliasSeparator.ToString(), m.Aliases));
            texts.Add(Encode(m.RetirementDate, m.Id));
            texts.Add(Encode(m.Replacement, m.Id));
            texts.Add(Encode(m.CheaperSibling, m.Id));
            texts.Add(Encode(m.Checked, m.Id));
            texts.Add(Encode(m.Notes, m.Id));
            double[] row =
            {
                (int)m.Provider, (int)m.Tier, m.Tokenizer is { } tokenizer ? (int)tokenizer : double.NaN,
                m.InputPrice ?? double.NaN, m.OutputPrice ?? double.NaN, m.CacheWrite5mPrice ?? double.NaN,
                m.CacheWrite1hPrice ?? double.NaN, m.CacheReadPrice ?? double.NaN, m.LongContextThreshold ?? double.NaN,
                m.LongContextInputPrice ?? double.NaN, m.LongContextOutputPrice ?? double.NaN, m.BatchDiscount ?? double.NaN,
                m.MaxOutputTokens ?? double.NaN, m.MinCacheablePrefixTokens ?? double.NaN, m.ContextWindow ?? double.NaN,
                (int)m.Status, m.Unconfirmed ? 1 : 0,
            };
            Array.Copy(row, 0, numbers, i * NumbersPerModel, NumbersPerModel);
        }

        return (string.Join(FieldSeparator.ToString(), texts), numbers);
    }

    private static string? Text(string field) => field == Null ? null : field;

    private static double? Number(double value) => double.IsNaN(value) ? null : value;

    private static int? Integer(double value) => double.IsNaN(value) ? null : (int)value;

    private static string Encode(string? value, string id) => value is null ? Null : Check(value, id);

    private static string Check(string value, string id) =>
        value.IndexOf(FieldSeparator) >= 0 || value.IndexOf(AliasSeparator) >= 0 || value.IndexOf('\u0000') >= 0
            ? throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "models.json: a text field of '{0}' holds a control character the built-in catalog uses as a separator", id))
            : value;
}
