using System;
using System.IO;
using TokenLint.Runtime;

namespace TokenLint.Cli.Tests;

/// <summary>The report over TokenLint.Runtime's own JSON Lines ledger, written by the runtime's writer.</summary>
public sealed class LedgerReportTests
{
    [Fact]
    public void LedgerRecords_AreReadPricedAndGroupedByAgent_ACallLoggedTwiceOnce()
    {
        using var folder = CliRunner.TempFolder();
        string path = Path.Combine(folder.Path, "usage.jsonl");
        using (var ledger = new JsonLinesTokenLedger(path))
        {
            // gpt-4.1: $2 input, $0.50 cached input, $8 output per million.
            ledger.Record(Record("r1", "triage", "s1", input: 1_000, read: 0, output: 100));
            ledger.Record(Record("r2", "triage", "s1", input: 500, read: 1_000, output: 100));
            ledger.Record(Record("r2", "triage", "s1", input: 500, read: 1_000, output: 100));
            ledger.Record(Record("r3", "writer", "s2", input: 2_000, read: 0, output: 500));
        }

        var report = CliRunner.Json("report", path);
        var totals = report.GetProperty("totals");
        Assert.Equal(3, totals.GetProperty("calls").GetInt64());
        Assert.Equal(3_500, totals.GetProperty("inputTokens").GetInt64());
        Assert.Equal(1_000, totals.GetProperty("cacheReadTokens").GetInt64());
        Assert.Equal(700, totals.GetProperty("outputTokens").GetInt64());

        // 3,500 x 2 + 1,000 x 0.5 + 700 x 8 = 13,100 per million.
        Assert.Equal(0.0131m, totals.GetProperty("costUsd").GetDecimal());
        Assert.Equal(1, report.GetProperty("read").GetProperty("duplicateCalls").GetInt64());
        Assert.Equal(0, report.GetProperty("read").GetProperty("problems").GetInt64());
        var agents = report.GetProperty("byProject");
        Assert.Equal("writer", agents[0].GetProperty("project").GetString());
        Assert.Equal("triage", agents[1].GetProperty("project").GetString());
    }

    [Fact]
    public void ARecordWithoutAResponseId_InTwoLedgers_IsCountedOnceByItsRecordId()
    {
        using var folder = CliRunner.TempFolder();
        var copied = Record(null, "triage", "s1", input: 1_000, read: 0, output: 100) with { RecordId = Guid.NewGuid() };
        var other = copied with { RecordId = Guid.NewGuid() }; // a second call with the same counts
        var old = copied with { RecordId = null };             // written before records had ids: never deduplicated
        foreach (string name in new[] { "a.jsonl", "b.jsonl" })
        {
            using var ledger = new JsonLinesTokenLedger(Path.Combine(folder.Path, name));
            ledger.Record(copied);
            ledger.Record(old);
        }

        using (var ledger = new JsonLinesTokenLedger(Path.Combine(folder.Path, "c.jsonl")))
        {
            ledger.Record(other);
        }

        var report = CliRunner.Json("report", folder.Path);

        // copied once, old twice (once per file), other once.
        Assert.Equal(4, report.GetProperty("totals").GetProperty("calls").GetInt64());
        Assert.Equal(1, report.GetProperty("read").GetProperty("duplicateCalls").GetInt64());
    }

    private static TokenUsageRecord Record(string? responseId, string agent, string session, long input, long read, long output) => new()
    {
        Timestamp = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero),
        Model = "gpt-4.1",
        Agents = new[] { "support", agent },
        Session = session,
        Tokens = new TokenCounts { InputTokens = input, CacheReadTokens = read, OutputTokens = output },
        CostUsd = 99m,
        ResponseId = responseId,
    };
}
