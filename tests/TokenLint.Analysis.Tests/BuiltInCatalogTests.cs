using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Tests;

/// <summary>
/// The built-in catalog is compiled into the analyzers as data (ModelRows), not as code: it must hold exactly what
/// the catalog reader reads from models.json, every field of every model.
/// </summary>
public sealed class BuiltInCatalogTests
{
    private static readonly PropertyInfo[] Fields = typeof(ModelInfo).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    [Fact]
    public void BuiltInCatalogEqualsWhatTheReaderReadsFromModelsJson()
    {
        var read = ModelCatalogReader.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalog", "models.json")), findExisting: null);

        Assert.Empty(read.Problems);
        Assert.Equal(read.Models.Select(m => m.Id), ModelCatalog.BuiltIn.Models.Select(m => m.Id));
        foreach (var (expected, actual) in read.Models.Zip(ModelCatalog.BuiltIn.Models, (e, a) => (e, a)))
        {
            AssertSameFields(expected, actual);
        }
    }

    [Fact]
    public void RowsKeepNullsEmptiesAndEveryValue()
    {
        var full = new ModelInfo
        {
            Id = "acme-1",
            Provider = ModelProvider.Google,
            Family = "acme",
            Tier = ModelTier.Premium,
            Aliases = new[] { "acme", "acme-1-2026" },
            Tokenizer = TokenEncoding.Cl100kBase,
            InputPrice = 0.1 + 0.2,
            OutputPrice = 1e-7,
            CacheWrite5mPrice = 3.75,
            CacheWrite1hPrice = 6,
            CacheReadPrice = 0.3,
            LongContextThreshold = 200_000,
            LongContextInputPrice = 6,
            LongContextOutputPrice = 22.5,
            BatchDiscount = 0.5,
            MaxOutputTokens = 128_000,
            MinCacheablePrefixTokens = 1024,
            ContextWindow = 1_000_000,
            Status = ModelStatus.Retired,
            RetirementDate = "2026-01-31",
            Replacement = "acme-2",
            CheaperSibling = "acme-mini",
            Checked = "2026-12-03",
            Unconfirmed = true,
            Notes = "quotes \" and \\ and\nnew lines",
        };
        var empty = new ModelInfo { Id = "bare", Family = "" };

        var (texts, numbers) = ModelRows.Encode(new[] { full, empty });
        var decoded = ModelRows.Decode(texts, numbers);

        Assert.Equal(2, decoded.Length);
        AssertSameFields(full, decoded[0]);
        AssertSameFields(empty, decoded[1]);
        Assert.Equal("", decoded[1].Family);
        Assert.Null(decoded[1].Notes);
    }

    [Fact]
    public void TextHoldingASeparatorIsRefused() =>
        Assert.Throws<ArgumentException>(() => ModelRows.Encode(new[] { new ModelInfo { Id = "a", Notes = "x" + ModelRows.FieldSeparator } }));

    private static void AssertSameFields(ModelInfo expected, ModelInfo actual)
    {
        foreach (var field in Fields)
        {
            object? e = field.GetValue(expected);
            object? a = field.GetValue(actual);
            if (e is IEnumerable<string> expectedList && a is IEnumerable<string> actualList)
            {
                Assert.True(expectedList.SequenceEqual(actualList), $"{expected.Id}.{field.Name}");
            }
            else
            {
                Assert.True(Equals(e, a), $"{expected.Id}.{field.Name}: expected {e ?? "null"}, got {a ?? "null"}");
            }
        }
    }
}
