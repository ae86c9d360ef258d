using System.IO;
using System.Linq;
using System.Text;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime.Tests;

public class ModelPriceCatalogTests
{
    [Theory]
    [InlineData("claude-sonnet-4-5", 3.0, 15.0)]
    [InlineData("claude-sonnet-4-5-20250929", 3.0, 15.0)] // dated alias
    [InlineData("gpt-4.1-2025-04-14", 2.0, 8.0)] // dated id, stripped
    [InlineData("gpt-4o-mini", 0.15, 0.60)]
    [InlineData("claude-haiku-4-5", 1.0, 5.0)]
    public void BuiltIn_PricesModelsByIdAliasAndDatedId(string model, double input, double output)
    {
        Assert.True(ModelPriceCatalog.BuiltIn.TryGetPrice(model, out var price));
        Assert.Equal((decimal)input, price.Input);
        Assert.Equal((decimal)output, price.Output);
    }

    [Theory]
    [InlineData("my-azure-deployment")]
    [InlineData("claude-3-opus-20240229")] // known, retired, no price in the catalog
    [InlineData("")]
    [InlineData(null)]
    public void BuiltIn_DoesNotPriceUnknownOrUnpricedModels(string? model)
    {
        Assert.False(ModelPriceCatalog.BuiltIn.TryGetPrice(model, out _));
    }

    [Fact]
    public void BuiltIn_HoldsTheCachePricesOfTheFacts()
    {
        Assert.True(ModelPriceCatalog.BuiltIn.TryGetPrice("claude-opus-4-6", out var opus));
        Assert.Equal(6.25m, opus.CacheWrite5m);
        Assert.Equal(10m, opus.CacheWrite1h);
        Assert.Equal(0.50m, opus.CacheRead);
        Assert.True(ModelPriceCatalog.BuiltIn.TryGetPrice("gpt-5", out var gpt5));
        Assert.Equal(0.125m, gpt5.CacheRead);
        Assert.Null(gpt5.CacheWrite5m);
    }

    [Fact]
    public void Overrides_AddModelsAndAliasesAndReplacePrices()
    {
        var catalog = ModelPriceCatalog.BuiltIn.WithOverrides(Json("""
            { "models": [
              { "id": "gpt-4.1", "provider": "openai", "inputPrice": 1.5, "outputPrice": 6, "cacheReadPrice": 0.375 },
              { "id": "contoso-gpt4o", "provider": "openai", "aliases": ["prod-chat", "PROD_GPT4o_EastUS"], "inputPrice": 2.5, "outputPrice": 10 }
            ] }
            """), "team-prices.json");

        Assert.True(catalog.TryGetPrice("gpt-4.1", out var replaced));
        Assert.Equal(1.5m, replaced.Input);
        Assert.True(catalog.TryGetPrice("prod-chat", out var byAlias));
        Assert.Equal("contoso-gpt4o", byAlias.Id);
        Assert.True(catalog.TryGetPrice("prod_gpt4o_eastus", out var deployment)); // any spelling a deployment name takes, any case
        Assert.Equal("contoso-gpt4o", deployment.Id);
        Assert.True(catalog.TryGetPrice("claude-sonnet-4-5-20250929", out _)); // built-in aliases survive
        Assert.False(ModelPriceCatalog.BuiltIn.TryGetPrice("prod-chat", out _)); // the built-in catalog is not changed
    }

    [Fact]
    public void Overrides_NegativePrice_NamesTheFileTheEntryAndTheField()
    {
        var error = Assert.Throws<ModelPriceCatalogException>(() => ModelPriceCatalog.BuiltIn.WithOverrides(Json("""
            { "models": [
              { "id": "ok-model", "inputPrice": 1, "outputPrice": 2 },
              { "id": "typo-model", "inputPrice": 1, "outputPrice": 2, "cacheReadPrice": -0.1 }
            ] }
            """), "team-prices.json"));

        Assert.Equal("team-prices.json", error.Source);
        Assert.Equal("team-prices.json(3,78): model 'typo-model': \"cacheReadPrice\" is negative (-0.1)", error.Message);
        Assert.Equal((3, 78), (error.Line, error.Column));
    }

    [Fact]
    public void Overrides_MalformedJson_NamesTheLineAndColumn()
    {
        var error = Assert.Throws<ModelPriceCatalogException>(() => ModelPriceCatalog.BuiltIn.WithOverrides(Json("{ \"models\": [\n  { \"id\": \"x\", \"inputPrice\": }\n] }"), "broken.json"));

        Assert.Equal("broken.json(2,30): unexpected character '}'; expected a value", error.Message);
    }

    [Fact]
    public void Overrides_PartialEntry_ChangesOnlyTheFieldsItNames()
    {
        // A known id with only an input price keeps its other prices (it used to lose them and become unpriced).
        var catalog = ModelPriceCatalog.BuiltIn.WithOverrides(Json("""{ "models": [ { "id": "claude-opus-4-6", "inputPrice": 4 } ] }"""), "negotiated.json");

        Assert.True(catalog.TryGetPrice("claude-opus-4-6", out var opus));
        Assert.Equal(4m, opus.Input);
        Assert.Equal(25m, opus.Output);
        Assert.Equal(6.25m, opus.CacheWrite5m);
        Assert.Equal(0.50m, opus.CacheRead);
        Assert.Equal("anthropic", opus.Provider);
    }

    [Fact]
    public void Overrides_ALaterFileChangesWhatAnEarlierOneAdded()
    {
        var catalog = ModelPriceCatalog.BuiltIn
            .WithOverrides(Json("""{ "models": [ { "id": "acme-large", "provider": "openai", "inputPrice": 2, "outputPrice": 8 } ] }"""), "first.json")
            .WithOverrides(Json("""{ "models": [ { "id": "acme-large", "outputPrice": 6 } ] }"""), "second.json");

        Assert.True(catalog.TryGetPrice("acme-large", out var acme));
        Assert.Equal((2m, 6m, "openai"), (acme.Input, acme.Output, acme.Provider));
    }

    [Theory]
    [InlineData("{ \"models\": [ { \"id\": \"x\", \"inputPrice\": 1, \"outputPrice\": 2 }, ] }", "(1,65): a trailing comma is not allowed")]
    [InlineData("{ \"models\": [\n  // negotiated\n  { \"id\": \"x\", \"inputPrice\": 1, \"outputPrice\": 2 } ] }", "(2,3): unexpected character '/'; expected a value")]
    [InlineData("{ \"models\": [ { \"id\": \"x\", \"inputPrice\": 1, \"outputPrice\": 2, \"colour\": \"blue\" } ] }", "(1,73): model 'x' has an unknown property \"colour\"")]
    [InlineData("{ \"models\": [ { \"id\": \"x\", \"inputPrice\": 1, \"outputPrice\": 2, \"cacheReadPrice\": 1 } ] }", "(1,15): model 'x': cacheReadPrice (1) must be below inputPrice (1)")]
    [InlineData("{ \"models\": [ { \"id\": \"x\", \"provider\": \"azure\", \"inputPrice\": 1, \"outputPrice\": 2 } ] }", "(1,40): model 'x': \"provider\" must be one of: unknown, anthropic, openai, google")]
    public void Overrides_WhatTheAnalyzersRejectIsAnError(string json, string problem)
    {
        // JSON as the analyzers read it (RFC 8259: no comments, no trailing commas; known properties only).
        var error = Assert.Throws<ModelPriceCatalogException>(() => ModelPriceCatalog.BuiltIn.WithOverrides(Json(json), "prices.json"));

        Assert.Equal("prices.json" + problem, error.Message);
    }

    [Fact]
    public void Overrides_FromAFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tokenlint-prices-{System.Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "models": [ { "id": "local-llama", "inputPrice": 0, "outputPrice": 0 } ] }""");
        try
        {
            var catalog = ModelPriceCatalog.BuiltIn.WithOverrides(path);
            Assert.True(catalog.TryGetPrice("local-llama", out var free));
            Assert.Equal(0m, free.Cost(new TokenCounts { InputTokens = 1000, OutputTokens = 1000 }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BuiltIn_PricesAreOrderedAsTheFactsSay()
    {
        // read < input < 5m write <= 1h write wherever the catalog has them: a typo (a read price off by 10x) fails here.
        foreach (string id in ModelPriceCatalog.BuiltIn.PricedModelIds)
        {
            Assert.True(ModelPriceCatalog.BuiltIn.TryGetPrice(id, out var p));
            if (p.CacheRead is decimal read)
            {
                Assert.True(read < p.Input, id);
            }

            if (p.CacheWrite5m is decimal write5m)
            {
                Assert.True(p.Input < write5m && write5m <= (p.CacheWrite1h ?? write5m), id);
            }
        }

        Assert.True(ModelPriceCatalog.BuiltIn.PricedModelIds.Count() > 30);
    }

    [Fact]
    public void TheAnalyzersCatalogSourceStaysInternal()
    {
        // The runtime compiles the analyzers' reader and catalog as internal types: they are not this package's API.
        Assert.DoesNotContain(typeof(ModelPriceCatalog).Assembly.GetExportedTypes(), type => type.Namespace!.StartsWith("TokenLint.Analysis", System.StringComparison.Ordinal));
        Assert.NotNull(typeof(ModelPriceCatalog).Assembly.GetType("TokenLint.Analysis.Catalog.ModelCatalogReader"));
    }

    private static MemoryStream Json(string text) => new(Encoding.UTF8.GetBytes(text));
}
