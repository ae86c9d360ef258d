using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Anthropic.Core;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.Tests;

/// <summary>The built-in catalog's invariants: what a stale table or a typo would break.</summary>
public sealed class ModelCatalogTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.BuiltIn;

    public static IEnumerable<object[]> Models() => Catalog.Models.Select(m => new object[] { m.Id });

    [Theory]
    [MemberData(nameof(Models))]
    public void CachePricesKeepTheirOrder(string id)
    {
        var model = Catalog.Find(id)!;
        Assert.Empty(ModelInvariants.Check(model));
        if (model.InputPrice is { } input)
        {
            Assert.True(model.CacheReadPrice is null || model.CacheReadPrice < input, $"{id}: read {model.CacheReadPrice} >= input {input}");
            Assert.True(model.CacheWrite5mPrice is null || model.CacheWrite5mPrice > input, $"{id}: 5m write {model.CacheWrite5mPrice} <= input {input}");
            Assert.True(model.CacheWrite1hPrice is null || model.CacheWrite1hPrice >= model.CacheWrite5mPrice, $"{id}: 1h write below 5m write");
        }

        foreach (var price in new[] { model.InputPrice, model.OutputPrice, model.CacheReadPrice, model.CacheWrite5mPrice, model.CacheWrite1hPrice, model.LongContextInputPrice, model.LongContextOutputPrice })
        {
            Assert.True(price is null or >= 0, $"{id} has a negative price");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryEntryIsComplete(string id)
    {
        var model = Catalog.Find(id)!;
        Assert.NotEqual(ModelProvider.Unknown, model.Provider);
        Assert.NotEqual(ModelTier.Unknown, model.Tier);
        Assert.False(string.IsNullOrEmpty(model.Family), $"{id} has no family");
        if (model.Status == ModelStatus.Active)
        {
            Assert.True(model.InputPrice is not null && model.OutputPrice is not null, $"{id} is active but unpriced");
            Assert.False(string.IsNullOrEmpty(model.Checked), $"{id} does not say when its prices were checked");
        }

        if (model.Unconfirmed)
        {
            Assert.False(string.IsNullOrEmpty(model.Notes), $"{id} is unconfirmed but does not say what");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void SiblingsExistAreActiveCheaperAndOfTheSameProvider(string id)
    {
        var model = Catalog.Find(id)!;
        if (model.CheaperSibling is { } siblingId)
        {
            var sibling = Catalog.Find(siblingId);
            Assert.NotNull(sibling);
            Assert.Equal(ModelStatus.Active, sibling!.Status);
            Assert.False(sibling.Unconfirmed, $"{id}'s sibling {siblingId} has unconfirmed prices");
            Assert.Equal(model.Provider, sibling.Provider);
            Assert.True(sibling.InputPrice < model.InputPrice && sibling.OutputPrice < model.OutputPrice, $"{siblingId} is not cheaper than {id}");
        }

        if (model.Replacement is { } replacement)
        {
            Assert.NotNull(Catalog.Find(replacement));
        }

        if (model.Tier == ModelTier.Premium && model.Status == ModelStatus.Active && !model.Unconfirmed)
        {
            Assert.True(model.CheaperSibling is not null, $"premium {id} has no cheaper sibling for TL1001's fix");
        }
    }

    [Fact]
    public void IdsAndAliasesAreUniqueIgnoringCase()
    {
        var names = Catalog.Models.SelectMany(m => new[] { m.Id }.Concat(m.Aliases)).ToArray();
        var duplicates = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void AgreesWithTheAnthropicSdksModelEnum()
    {
        foreach (var field in typeof(Anthropic.Models.Messages.Model).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var member = (Anthropic.Models.Messages.Model)field.GetValue(null)!;
            string wireId = ((ApiEnum<string, Anthropic.Models.Messages.Model>)member).Raw();
            var byMember = Catalog.Find(field.Name);
            Assert.True(byMember is not null, $"Model.{field.Name} is not an alias in the catalog");
            Assert.True(byMember!.Id == wireId || byMember.Aliases.Contains(wireId), $"Model.{field.Name} is '{wireId}' on the wire but maps to {byMember.Id}");
            if (field.GetCustomAttribute<ObsoleteAttribute>() is not null)
            {
                Assert.NotEqual(ModelStatus.Active, byMember.Status);
            }
        }
    }

    [Theory]
    [InlineData("gpt-4o", 2.50, 1.25, 10)]
    [InlineData("gpt-4o-mini", 0.15, 0.075, 0.60)]
    [InlineData("gpt-5", 1.25, 0.125, 10)]
    [InlineData("claude-opus-4-6", 5, 0.50, 25)]
    [InlineData("claude-haiku-4-5", 1, 0.10, 5)]
    [InlineData("claude-3-haiku", 0.25, 0.03, 1.25)]
    public void PricesMatchFacts(string id, double input, double read, double output)
    {
        var model = Catalog.Find(id)!;
        Assert.Equal(input, model.InputPrice);
        Assert.Equal(read, model.CacheReadPrice);
        Assert.Equal(output, model.OutputPrice);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", 1024)]
    [InlineData("claude-opus-4-6", 4096)]
    [InlineData("claude-haiku-4-5", 4096)]
    [InlineData("claude-3-5-haiku", 2048)]
    [InlineData("gpt-4o", 1024)]
    public void MinimumCacheablePrefixesMatchFacts(string id, int minimum) =>
        Assert.Equal(minimum, Catalog.Find(id)!.MinCacheablePrefixTokens);

    [Theory]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("claude-haiku-4-5-20251001", "claude-haiku-4-5")]
    [InlineData("ClaudeOpus4_6", "claude-opus-4-6")]
    [InlineData("claude-3-7-sonnet-latest", "claude-3-7-sonnet")]
    [InlineData("gpt-4o-2099-01-01", "gpt-4o")]
    [InlineData("gpt-4-0613", "gpt-4")]
    [InlineData("gpt-4-32k-0613", "gpt-4-32k")]
    [InlineData("gpt-4-1106-preview", "gpt-4-turbo")]
    [InlineData("gpt-4-turbo-2024-04-09", "gpt-4-turbo")]
    public void FindsAliasesAndDatedIds(string name, string id) => Assert.Equal(id, Catalog.Find(name)?.Id);

    [Theory]
    [InlineData("gpt-4o-mnii")]
    [InlineData("GPT-4o")]
    [InlineData("gpt-4o-latest-2024")]
    public void DoesNotGuess(string name) => Assert.Null(Catalog.Find(name));
}
