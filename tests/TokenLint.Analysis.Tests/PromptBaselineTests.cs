using System.Linq;
using TokenLint.Analysis.Configuration;

namespace TokenLint.Analysis.Tests;

/// <summary>The baseline format read by TL4003 and `tokenlint diff`: a count, or a count with the prompt's model.</summary>
public sealed class PromptBaselineTests
{
    [Fact]
    public void AnEntry_IsACount_OrAnObjectWithTokensAndModel()
    {
        const string text = """
            {
              "prompts": {
                "Shop.Prompts.Triage": 400,
                "Shop.Prompts.Support": { "tokens": 1500, "model": "gpt-4.1" },
                "Prompts/policy.prompt.md": { "tokens": 2000 }
              }
            }
            """;
        var baseline = PromptBaseline.Read("/repo/tokenlint.baseline.json", text);

        Assert.Empty(baseline.Problems);
        Assert.Equal((400, (string?)null), (baseline.Entries["Shop.Prompts.Triage"].Count, baseline.Entries["Shop.Prompts.Triage"].Model));
        var support = baseline.Entries["Shop.Prompts.Support"];
        Assert.Equal((1500, "gpt-4.1"), (support.Count, support.Model));
        Assert.Equal("1500", text.Substring(support.ValueOffset, support.ValueLength));
        Assert.Equal((2000, (string?)null), (baseline.Entries["Prompts/policy.prompt.md"].Count, baseline.Entries["Prompts/policy.prompt.md"].Model));
    }

    [Theory]
    [InlineData("""{ "prompts": { "A": { "model": "gpt-4.1" } } }""", "the entry of 'A' needs \"tokens\", its size in tokens")]
    [InlineData("""{ "prompts": { "A": { "tokens": 10, "model": 4 } } }""", "the model of 'A' must be a model id")]
    [InlineData("""{ "prompts": { "A": { "tokens": "ten" } } }""", "the count of 'A' must be a whole number of tokens")]
    public void AMalformedObjectEntry_IsAProblem_AndLeftOut(string text, string problem)
    {
        var baseline = PromptBaseline.Read("/repo/tokenlint.baseline.json", text);
        Assert.Empty(baseline.Entries);
        Assert.Equal(problem, baseline.Problems.Single().Message);
    }
}
