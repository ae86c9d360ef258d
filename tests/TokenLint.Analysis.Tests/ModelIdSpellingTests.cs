using System.Linq;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.Tests;

public sealed class ModelIdSpellingTests
{
    private static readonly string[] OpenAI = ModelCatalog.BuiltIn.Models.Where(m => m.Provider == ModelProvider.OpenAI)
        .SelectMany(m => new[] { m.Id }.Concat(m.Aliases)).Where(ModelCatalog.IsWireName).ToArray();

    private static readonly string[] Anthropic = ModelCatalog.BuiltIn.Models.Where(m => m.Provider == ModelProvider.Anthropic)
        .SelectMany(m => new[] { m.Id }.Concat(m.Aliases)).Where(ModelCatalog.IsWireName).ToArray();

    [Theory]
    [InlineData("gpt-4o-mnii", "gpt-4o-mini")]
    [InlineData("gpt4o-mini", "gpt-4o-mini")]
    [InlineData("GPT-4o", "gpt-4o")]
    [InlineData("gtp-4.1", "gpt-4.1")]
    [InlineData("gpt-4.1-nnao", "gpt-4.1-nano")]
    public void SuggestsOpenAICorrections(string typo, string expected) =>
        Assert.Equal(expected, ModelIdSpelling.SuggestCorrection(typo, OpenAI));

    [Theory]
    [InlineData("claude-sonet-4-6", "claude-sonnet-4-6")]
    [InlineData("claude-sonnet-4.6", "claude-sonnet-4-6")]
    [InlineData("claud-opus-4-6", "claude-opus-4-6")]
    [InlineData("claude-hiaku-4-5", "claude-haiku-4-5")]
    public void SuggestsAnthropicCorrections(string typo, string expected) =>
        Assert.Equal(expected, ModelIdSpelling.SuggestCorrection(typo, Anthropic));

    [Theory]
    [InlineData("gpt-5.2")]
    [InlineData("gpt-4")]
    [InlineData("gpt-4o-mini-tts")]
    [InlineData("o3-pro")]
    [InlineData("o2")]
    [InlineData("gpt-6")]
    [InlineData("text-embedding-3-small")]
    [InlineData("gpt-4o")]
    public void LeavesNewerOrDifferentModelsAlone(string id) =>
        Assert.Null(ModelIdSpelling.SuggestCorrection(id, OpenAI));

    [Fact]
    public void DistanceCountsAdjacentTranspositionsAsOneEdit()
    {
        Assert.Equal(1, ModelIdSpelling.Distance("mnii", "mini", 2));
        Assert.Equal(2, ModelIdSpelling.Distance("abcd", "badc", 2));
        Assert.Equal(3, ModelIdSpelling.Distance("abcdef", "xyzdef", 2));
    }
}
