using System.Linq;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Tests;

/// <summary>
/// What models.json says beyond its entries, which code used to decide by id prefix: each model's tokenizer, what ids
/// without an entry are (idPrefixes), and the served ids TL1002 must not take for typos (otherKnownIds).
/// </summary>
public sealed class ModelCatalogIdKnowledgeTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.BuiltIn;

    [Theory]
    [InlineData("gpt-4o", TokenEncoding.O200kBase)]
    [InlineData("gpt-4o-2024-08-06", TokenEncoding.O200kBase)]   // a dated id of an entry
    [InlineData("gpt-4.1", TokenEncoding.O200kBase)]
    [InlineData("o3", TokenEncoding.O200kBase)]
    [InlineData("gpt-4", TokenEncoding.Cl100kBase)]               // a legacy entry
    [InlineData("gpt-4-turbo-2024-04-09", TokenEncoding.Cl100kBase)]
    [InlineData("gpt-4-vision-preview", TokenEncoding.Cl100kBase)] // listed nowhere: the prefix decides
    [InlineData("gpt-3.5-turbo", TokenEncoding.Cl100kBase)]
    [InlineData("gpt-4o-audio-preview", TokenEncoding.O200kBase)] // gpt-4o is not gpt-4-
    [InlineData("claude-opus-4-6", TokenEncoding.O200kBase)]      // no public tokenizer: the o200k estimate
    [InlineData("my-deployment", TokenEncoding.O200kBase)]
    [InlineData(null, TokenEncoding.O200kBase)]
    public void EncodingComesFromTheEntryElseTheIdPrefix(string? id, TokenEncoding expected) =>
        Assert.Equal(expected, Catalog.EncodingFor(id));

    [Theory]
    [InlineData("claude-opus-4-6", ModelProvider.Anthropic)]
    [InlineData("ClaudeOpus4_6", ModelProvider.Anthropic)]      // an alias finds its entry
    [InlineData("claude-opus-9-9", ModelProvider.Anthropic)]    // not yet in the catalog: the claude- prefix
    [InlineData("Claude-Opus-9", ModelProvider.Anthropic)]
    [InlineData("gpt-4-0613", ModelProvider.OpenAI)]
    [InlineData("gemini-2.5-pro", ModelProvider.Google)]
    [InlineData("claudette", ModelProvider.Unknown)]            // a prefix ends at its dash
    [InlineData("llama-3.3-70b", ModelProvider.Unknown)]
    public void ProviderComesFromTheEntryElseTheIdPrefix(string id, ModelProvider expected) =>
        Assert.Equal(expected, Catalog.ProviderOf(id));

    [Fact]
    public void OtherKnownIdsAreServedIdsWithoutAnEntry()
    {
        Assert.True(Catalog.IsOtherKnownId("gpt-3.5-turbo"));
        Assert.True(Catalog.IsOtherKnownId("claude-instant-1.2"));
        Assert.False(Catalog.IsOtherKnownId("gpt-4")); // an entry since TL1001 judges it
        Assert.False(Catalog.IsOtherKnownId("gpt-4o"));
        Assert.False(Catalog.IsOtherKnownId("GPT-3.5-TURBO")); // wire ids are case-sensitive
        Assert.All(Catalog.OtherKnownIds, id => Assert.Null(Catalog.Find(id)));
    }

    [Fact]
    public void EveryOpenAIEntryNamesItsTokenizerAndNoOtherEntryClaimsOne()
    {
        // OpenAI's encodings are public; Anthropic's and Google's are not, and their counts are labelled estimates.
        Assert.All(Catalog.Models, model => Assert.True(
            (model.Provider == ModelProvider.OpenAI) == (model.Tokenizer is not null),
            $"{model.Id} ({model.Provider}) has tokenizer {model.Tokenizer?.ToString() ?? "null"}"));
    }

    [Fact]
    public void AnOverrideFileAddsIdPrefixesTriedFirstAndKnownIds()
    {
        var result = ModelCatalogReader.Read("""
            {
              "idPrefixes": [ { "idPrefix": "gpt-4-", "provider": "openai", "tokenizer": "o200k_base" }, { "idPrefix": "acme-", "provider": "openai" } ],
              "otherKnownIds": [ "acme-router" ],
              "models": [ { "id": "acme-chat", "tokenizer": "cl100k_base" } ]
            }
            """, Catalog.Find);
        var catalog = Catalog.WithOverrides(result);

        Assert.Empty(result.Problems);
        Assert.Equal(TokenEncoding.O200kBase, catalog.EncodingFor("gpt-4-vision-preview"));
        Assert.Equal(ModelProvider.OpenAI, catalog.ProviderOf("acme-router"));
        Assert.Equal(TokenEncoding.Cl100kBase, catalog.EncodingFor("acme-chat"));
        Assert.True(catalog.IsOtherKnownId("acme-router") && catalog.IsOtherKnownId("gpt-3.5-turbo"));
        Assert.Equal(TokenEncoding.Cl100kBase, Catalog.EncodingFor("gpt-4-vision-preview")); // the built-in catalog is unchanged
    }

    [Fact]
    public void BadIdPrefixesTokenizersAndKnownIdsAreReported()
    {
        const string text = """
            {
              "idPrefixes": [ { "idPrefix": "acme" }, { "idPrefix": "acme-", "tokenizer": "p50k_base" }, { "idPrefix": "ok-", "colour": "blue" } ],
              "otherKnownIds": [ "fine", 3 ],
              "models": [ { "id": "x", "tokenizer": "o200k" } ]
            }
            """;
        var result = ModelCatalogReader.Read(text, findExisting: null);

        Assert.Empty(result.Models);
        Assert.Empty(result.IdPrefixes);
        Assert.Empty(result.OtherKnownIds);
        Assert.Equal(
            new[]
            {
                "(4,41): model 'x': \"tokenizer\" must be o200k_base, cl100k_base or null; entry ignored",
                "(2,19): each item of \"idPrefixes\" needs an \"idPrefix\" that ends with '-'; rule ignored",
                "(2,79): id prefix 'acme-': \"tokenizer\" must be o200k_base, cl100k_base or null; rule ignored",
                "(2,125): id prefix 'ok-': unknown property \"colour\"; rule ignored",
                "(3,20): \"otherKnownIds\" must contain only non-empty strings; the list is ignored",
            },
            result.Problems.Select(p => p.ToString()));
    }
}
