using System.IO;

namespace TokenLint.Cli.Tests;

/// <summary>Input the tool cannot use gets one clear line on standard error and exit code 2, never a stack trace.</summary>
public sealed class InputProblemTests
{
    [Fact]
    public void MissingPath_IsNamed()
    {
        var (exit, output, error) = CliRunner.Run("report", "/nonexistent/tokenlint-logs");
        Assert.Equal(TokenLintCommand.InputError, exit);
        Assert.Equal("", output);
        Assert.Contains("'/nonexistent/tokenlint-logs' does not exist", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void EmptyFolder_SaysThereAreNoLogs()
    {
        using var folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("report", folder.Path);
        Assert.Equal(TokenLintCommand.InputError, exit);
        Assert.Contains("no *.jsonl usage logs", error);
    }

    [Fact]
    public void LogsWithoutAnyCall_SayHowMuchWasRead()
    {
        using var folder = CliRunner.TempFolder();
        folder.File("p/s.jsonl", "{\"type\":\"user\",\"sessionId\":\"s\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\nnot json\n");
        var (exit, _, error) = CliRunner.Run("report", folder.Path);
        Assert.Equal(TokenLintCommand.InputError, exit);
        Assert.Contains("not one model call with usage", error);
        Assert.Contains("s.jsonl(2): not valid JSON", error);
    }

    [Theory]
    [InlineData("--since", "2026-13-01")]
    [InlineData("--until", "yesterday")]
    public void BadDay_IsRejected(string option, string value)
    {
        var (exit, _, error) = CliRunner.Run("report", CliRunner.Fixture("transcripts"), option, value);
        Assert.Equal(TokenLintCommand.InputError, exit);
        Assert.Contains($"{option} '{value}' is not a day of the form yyyy-MM-dd", error);
    }

    [Fact]
    public void SinceAfterUntil_IsRejected()
    {
        var (exit, _, error) = CliRunner.Run("report", CliRunner.Fixture("transcripts"), "--since", "2026-11-30", "--until", "2026-11-01");
        Assert.Equal(TokenLintCommand.InputError, exit);
        Assert.Contains("--since is after --until", error);
    }

    [Fact]
    public void BadPriceFile_NamesTheFileAndTheEntry()
    {
        using var folder = CliRunner.TempFolder();
        string prices = folder.File("prices.json", "{ \"models\": [ { \"id\": \"house-model\", \"provider\": \"openai\", \"inputPrice\": -1, \"outputPrice\": 2 } ] }");
        var (exit, _, error) = CliRunner.Run("report", CliRunner.Fixture("transcripts"), "--prices", prices);
        Assert.Equal(TokenLintCommand.InputError, exit);
        Assert.Contains("prices.json", error);
        Assert.Contains("house-model", error);
    }

    [Fact]
    public void PriceFile_PricesAModelTheCatalogLacks()
    {
        using var folder = CliRunner.TempFolder();
        folder.File("logs/s.jsonl",
            "{\"type\":\"assistant\",\"sessionId\":\"s\",\"requestId\":\"r\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"message\":{\"id\":\"m\",\"model\":\"house-model\",\"usage\":{\"input_tokens\":1000000,\"output_tokens\":1000000}}}\n");
        string prices = folder.File("prices.json", "{ \"models\": [ { \"id\": \"house-model\", \"provider\": \"openai\", \"inputPrice\": 1, \"outputPrice\": 2 } ] }");

        var unpriced = CliRunner.Json("report", Path.Combine(folder.Path, "logs"));
        Assert.Equal(0m, unpriced.GetProperty("totals").GetProperty("costUsd").GetDecimal());
        Assert.Equal(1, unpriced.GetProperty("totals").GetProperty("unpricedCalls").GetInt64());
        Assert.Equal(1, unpriced.GetProperty("read").GetProperty("unpricedModels").GetProperty("house-model").GetInt64());

        var priced = CliRunner.Json("report", Path.Combine(folder.Path, "logs"), "--prices", prices);
        Assert.Equal(3m, priced.GetProperty("totals").GetProperty("costUsd").GetDecimal());
    }
}
