namespace TokenLint.Cli.Tests;

/// <summary><c>tokenlint diff</c>: a Markdown table for a pull request, and exit code 1 past <c>--fail-above</c>.</summary>
public sealed class BaselineDiffTests
{
    private const string Old = """
        {
          "prompts": {
            "Shop.Prompts.Support": { "tokens": 1000, "model": "gpt-4.1" },
            "Shop.Prompts.Triage": 400,
            "Prompts/policy.prompt.md": 2000,
            "Shop.Prompts.Removed": 50
          }
        }
        """;

    private const string New = """
        {
          "prompts": {
            "Shop.Prompts.Support": { "tokens": 1500, "model": "gpt-4.1" },
            "Shop.Prompts.Triage": 380,
            "Prompts/policy.prompt.md": 2000,
            "Shop.Prompts.Added": { "tokens": 300, "model": "claude-haiku-4-5" }
          }
        }
        """;

    [Fact]
    public void Diff_ListsEachChangedPrompt_WithTokensPercentAndDollarsPer1000Calls()
    {
        using var folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("diff", folder.File("old.json", Old), folder.File("new.json", New), "--model", "gpt-4.1-mini");
        Assert.True(exit == 0, error);
        Assert.Contains("| prompt | model | tokens before | tokens after | change | $ per 1,000 calls |", output);

        // gpt-4.1 input is $2 per million: 500 more tokens cost $1.00 more per 1,000 calls.
        Assert.Contains("| `Shop.Prompts.Support` | gpt-4.1 | 1,000 | 1,500 | +50.0% | +$1.00 |", output);

        // No model in the entry: priced at --model gpt-4.1-mini ($0.40): 20 fewer tokens save $0.008 per 1,000 calls.
        Assert.Contains("| `Shop.Prompts.Triage` | gpt-4.1-mini | 400 | 380 | -5.0% | -$0.008 |", output);
        Assert.Contains("| `Shop.Prompts.Added` | claude-haiku-4-5 | new | 300 |  | +$0.30 |", output);
        Assert.Contains("| `Shop.Prompts.Removed` | gpt-4.1-mini | 50 | removed |  | -$0.02 |", output);
        Assert.DoesNotContain("policy.prompt.md", output);
        Assert.Contains("4 prompt(s) changed, 1 unchanged", output);
    }

    [Theory]
    [InlineData("49", 1)]
    [InlineData("50", 0)]
    public void FailAbove_ExitsWithOne_WhenAPromptGrewByMore(string percent, int expectedExit)
    {
        using var folder = CliRunner.TempFolder();
        var (exit, output, _) = CliRunner.Run("diff", folder.File("old.json", Old), folder.File("new.json", New), "--fail-above", percent);
        Assert.Equal(expectedExit, exit);
        Assert.Equal(expectedExit == 1, output.Contains("grew by more than", System.StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAModel_ThePromptIsNotPriced()
    {
        using var folder = CliRunner.TempFolder();
        var (exit, output, _) = CliRunner.Run("diff", folder.File("old.json", Old), folder.File("new.json", New));
        Assert.Equal(0, exit);
        Assert.Contains("| `Shop.Prompts.Triage` | unknown | 400 | 380 | -5.0% | no price |", output);
        Assert.Contains("pass --model", output);
    }

    [Fact]
    public void AMalformedBaseline_IsAnInputError_NamingTheFileAndPlace()
    {
        using var folder = CliRunner.TempFolder();
        string bad = folder.File("bad.json", "{ \"prompts\": { \"X\": \"many\" } }");
        var (exit, _, error) = CliRunner.Run("diff", bad, folder.File("new.json", New));
        Assert.Equal(TokenLintCommand.InputError, exit);
        Assert.Contains("bad.json(1,", error);
        Assert.Contains("must be a whole number of tokens", error);
    }
}
