using System.Linq;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.Tests;

public sealed class ModelCatalogReaderTests
{
    [Fact]
    public void OverrideChangesOnlyTheFieldsItNames()
    {
        var result = ModelCatalogReader.Read("""{ "models": [ { "id": "gpt-4o", "inputPrice": 2, "tier": "standard" } ] }""", id => ModelCatalog.BuiltIn.Find(id));

        Assert.Empty(result.Problems);
        var merged = ModelCatalog.BuiltIn.WithOverrides(result.Models).Find("gpt-4o")!;
        Assert.Equal(2, merged.InputPrice);
        Assert.Equal(ModelTier.Standard, merged.Tier);
        Assert.Equal(10, merged.OutputPrice);
        Assert.Equal("gpt-4o-mini", merged.CheaperSibling);
        Assert.Equal(2.5, ModelCatalog.BuiltIn.Find("gpt-4o")!.InputPrice);
    }

    [Fact]
    public void NewEntriesAreAddedAndFoundByAlias()
    {
        var result = ModelCatalogReader.Read("""{ "models": [ { "id": "acme-1", "provider": "openai", "aliases": ["acme-1-2026-01-01", "acme"], "inputPrice": 1, "outputPrice": 2 } ] }""", id => ModelCatalog.BuiltIn.Find(id));

        var catalog = ModelCatalog.BuiltIn.WithOverrides(result.Models);
        Assert.Equal("acme-1", catalog.Find("acme")?.Id);
        Assert.Equal(ModelCatalog.BuiltIn.Models.Count + 1, catalog.Models.Count);
    }

    [Fact]
    public void BadEntriesAreReportedAndLeftOutWhileGoodOnesStay()
    {
        const string text = """
            { "models": [
              { "id": "a", "inputPrice": "cheap" },
              { "id": "b", "colour": "blue" },
              { "id": "c", "retirementDate": "30/11/2026" },
              { "id": "a" },
              { "provider": "openai" },
              { "id": "d", "inputPrice": 1, "cacheWrite5mPrice": 0.5 },
              { "id": "e", "maxOutputTokens": 1.5 },
              { "id": "ok", "inputPrice": 1 }
            ] }
            """;
        var result = ModelCatalogReader.Read(text, findExisting: null);

        Assert.Equal(new[] { "ok" }, result.Models.Select(m => m.Id));
        Assert.Equal(
            new[]
            {
                "(2,30): model 'a': \"inputPrice\" must be a number (US dollars per million tokens) or null; entry ignored",
                "(3,26): model 'b' has an unknown property \"colour\"; entry ignored",
                "(4,34): model 'c': \"retirementDate\" must be a date written yyyy-MM-dd; entry ignored",
                "(5,3): model 'a' appears more than once; entry ignored",
                "(6,3): a model entry needs a non-empty string \"id\"",
                "(7,3): model 'd': cacheWrite5mPrice (0.5) must be above inputPrice (1); entry ignored",
                "(8,35): model 'e': \"maxOutputTokens\" must be a whole number of tokens or null; entry ignored",
            },
            result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void MalformedDocumentIsOneProblem()
    {
        var result = ModelCatalogReader.Read("{ \"models\": [ { \"id\": \"x\" } ", findExisting: null);

        Assert.Empty(result.Models);
        Assert.Single(result.Problems);
        Assert.Equal(1, result.Problems[0].Line);
    }
}
