using System;
using System.Linq;
using System.Text.Json;

namespace TokenLint.Cli.Tests;

/// <summary>
/// The report over a small Claude Code transcript folder (Fixtures/transcripts), every figure computed by hand from
/// the catalog's prices per million tokens (input / 5m write / 1h write / read / output):
/// claude-sonnet-4-6 3 / 3.75 / 6 / 0.30 / 15, claude-opus-4-6 5 / 6.25 / 10 / 0.50 / 25, claude-haiku-4-5 1 / 1.25 / 2 / 0.10 / 5.
/// </summary>
public sealed class ClaudeCodeReportTests
{
    // Previous week (2026-11-17..23): sonnet 100 in + 1,000 5m write + 50 out = $0.0048; 100 in + 1,000 read + 50 out = $0.00135.
    private const decimal PreviousCost = 0.00615m;

    // This week (2026-11-24..30): opus 100 in + 400 5m + 600 1h + 50 out = $0.01025 (the 1h part at $10, not $6.25);
    // opus 100 in + 1,000 read + 50 out = $0.00225 (logged twice, counted once); haiku 200 in + 20 out = $0.0003.
    private const decimal CurrentCost = 0.0128m;

    private static JsonElement Report() =>
        CliRunner.Json("report", CliRunner.Fixture("transcripts"), "--since", "2026-11-24", "--until", "2026-11-30");

    [Fact]
    public void Totals_AreTheHandComputedOnes_WithTheDuplicateCountedOnce()
    {
        var totals = Report().GetProperty("totals");
        Assert.Equal(3, totals.GetProperty("calls").GetInt64());
        Assert.Equal(400, totals.GetProperty("inputTokens").GetInt64());
        Assert.Equal(120, totals.GetProperty("outputTokens").GetInt64());
        Assert.Equal(1000, totals.GetProperty("cacheReadTokens").GetInt64());
        Assert.Equal(1000, totals.GetProperty("cacheWriteTokens").GetInt64());
        Assert.Equal(600, totals.GetProperty("cacheWrite1hTokens").GetInt64());
        Assert.Equal(CurrentCost, totals.GetProperty("costUsd").GetDecimal());

        var previous = Report().GetProperty("previousTotals");
        Assert.Equal(2, previous.GetProperty("calls").GetInt64());
        Assert.Equal(PreviousCost, previous.GetProperty("costUsd").GetDecimal());
    }

    [Fact]
    public void DuplicatesSyntheticMessagesAndDamagedLines_AreCountedAndReported()
    {
        var read = Report().GetProperty("read");
        Assert.Equal(4, read.GetProperty("files").GetInt64());
        Assert.Equal(1, read.GetProperty("duplicateCalls").GetInt64());
        Assert.Equal(5, read.GetProperty("calls").GetInt64());
        Assert.Equal(1, read.GetProperty("problems").GetInt64());
        var problem = read.GetProperty("problemLines")[0];
        Assert.EndsWith("cur-2.jsonl", problem.GetProperty("file").GetString());
        Assert.Equal(3, problem.GetProperty("line").GetInt64());
    }

    [Fact]
    public void SpendChange_SplitsIntoTheFiveCategories_ByTheDocumentedFormula()
    {
        var diagnosis = Report().GetProperty("diagnosis");
        var parts = diagnosis.GetProperty("categories").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("changeUsd").GetDouble());

        // Factors by hand: calls 2 -> 3 (no loop sessions); tokens per call 2,300 / 2 -> 2,520 / 3; list price (all input at
        // the input price) $0.0081 / 2,300 tokens -> $0.0138 / 2,520; cache factor 0.00615 / 0.0081 -> 0.0128 / 0.0138.
        double s0 = 0.00615, s1 = 0.0128;
        double weight = (s1 - s0) / (Math.Log(s1) - Math.Log(s0));
        Assert.Equal(weight * Math.Log(3.0 / 2.0), parts["volume"], 6);
        Assert.Equal(0, parts["loops"], 6);
        Assert.Equal(weight * Math.Log((2520.0 / 3) / 1150), parts["contextGrowth"], 6);
        Assert.Equal(weight * Math.Log((0.0138 / 2520) / (0.0081 / 2300)), parts["modelMix"], 6);
        Assert.Equal(weight * Math.Log((0.0128 / 0.0138) / (0.00615 / 0.0081)), parts["caching"], 6);
        Assert.Equal(s1 - s0, parts.Values.Sum(), 6);
        Assert.Equal(s1 - s0, diagnosis.GetProperty("changeUsd").GetDouble(), 6);
        Assert.Equal("modelMix", diagnosis.GetProperty("lookFirst").GetString());
    }

    [Fact]
    public void ModelMix_NamesTheTrivialPremiumCalls_AndTheirCostOnTheCheaperSibling()
    {
        var modelMix = Report().GetProperty("diagnosis").GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "modelMix");
        var numbers = modelMix.GetProperty("numbers");
        Assert.Equal(2, numbers.GetProperty("trivialPremiumCalls").GetProperty("current").GetDouble());
        Assert.Equal(0.0125, numbers.GetProperty("trivialPremiumCostUsd").GetProperty("current").GetDouble(), 6);

        // On claude-haiku-4-5: 100 + 400 x 1.25 + 600 x 2 + 50 x 5 = 2,050; 100 + 1,000 x 0.1 + 50 x 5 = 450 (per million).
        Assert.Equal(0.0025, numbers.GetProperty("trivialPremiumSiblingCostUsd").GetProperty("current").GetDouble(), 6);
        Assert.Equal(0.0125 / 0.0128, numbers.GetProperty("premiumSpendShare").GetProperty("current").GetDouble(), 5);
        Assert.Contains("TL1001", modelMix.GetProperty("addressedBy").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Breakdowns_ByModelAndProject_AreCostliestFirst()
    {
        var report = Report();
        var models = report.GetProperty("byModel").EnumerateArray().Select(m => m.GetProperty("model").GetString()).ToArray();
        Assert.Equal(new[] { "claude-opus-4-6", "claude-haiku-4-5" }, models);
        var projects = report.GetProperty("byProject").EnumerateArray().Select(m => m.GetProperty("project").GetString()).ToArray();
        Assert.Equal(new[] { "/home/dev/shop", "/home/dev/docs" }, projects);
        Assert.Equal(14, report.GetProperty("byDay").GetArrayLength());
    }

    [Fact]
    public void DefaultPeriod_IsTheSevenDaysEndingOnTheNewestCall()
    {
        var report = CliRunner.Json("report", CliRunner.Fixture("transcripts"));
        Assert.Equal("2026-11-20", report.GetProperty("period").GetProperty("since").GetString());
        Assert.Equal("2026-11-26", report.GetProperty("period").GetProperty("until").GetString());
        Assert.Equal("2026-11-13", report.GetProperty("previousPeriod").GetProperty("since").GetString());
        Assert.Equal(CurrentCost, report.GetProperty("totals").GetProperty("costUsd").GetDecimal());
    }

    [Fact]
    public void TerminalReport_LeadsWithTheDiagnosis_AndShowsTheCacheColumns()
    {
        var (exit, output, _) = CliRunner.Run("report", CliRunner.Fixture("transcripts"), "--until", "2026-11-30");
        Assert.Equal(0, exit);
        Assert.StartsWith("TokenLint usage report: 2026-11-24 to 2026-11-30 (UTC)", output);
        Assert.Contains("Spend rose from $0.006", output);
        Assert.Contains(" to $0.0128 (", output);
        Assert.Contains("cache write", output);
        Assert.Contains("cache read", output);
        Assert.Contains("cur-2.jsonl(3)", output);
    }
}
