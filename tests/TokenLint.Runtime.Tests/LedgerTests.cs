using System;
using System.IO;
using System.Linq;
using System.Text;

namespace TokenLint.Runtime.Tests;

public sealed class LedgerTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tokenlint-ledger-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    private static TokenUsageRecord Record(int i, string? session = null, decimal? cost = 0.01m, params string[] agents) => new()
    {
        Timestamp = new DateTimeOffset(2026, 11, 29, 8, 0, i % 60, TimeSpan.Zero),
        Model = "claude-sonnet-4-5",
        Agents = agents,
        Session = session,
        Task = "t",
        Tokens = new TokenCounts { InputTokens = i, CacheReadTokens = 2 * i, CacheWrite5mTokens = 3, CacheWrite1hTokens = 4, OutputTokens = 5, ReasoningTokens = 1 },
        CostUsd = cost,
        ResponseId = "msg_" + i,
        Duration = TimeSpan.FromMilliseconds(12.5),
    };

    [Fact]
    public void JsonLines_RoundTripsEveryField()
    {
        var written = new[] { Record(1, "s-1", 0.0123m, "planner", "billing"), Record(2, cost: null) with { UsageReported = false, Streaming = true } };
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            foreach (var record in written)
            {
                ledger.Record(record);
            }
        }

        var read = TokenLedgerFile.Read(_path);

        Assert.Empty(read.Problems);
        Assert.Equal(2, read.Records.Count);
        for (int i = 0; i < 2; i++)
        {
            var (expected, actual) = (written[i], read.Records[i]);
            Assert.Equal(expected.Timestamp, actual.Timestamp);
            Assert.Equal(expected.Model, actual.Model);
            Assert.Equal(expected.Agents, actual.Agents);
            Assert.Equal(expected.Session, actual.Session);
            Assert.Equal(expected.Task, actual.Task);
            Assert.Equal(expected.Tokens, actual.Tokens);
            Assert.Equal(expected.CostUsd, actual.CostUsd);
            Assert.Equal(expected.UsageReported, actual.UsageReported);
            Assert.Equal(expected.Streaming, actual.Streaming);
            Assert.Equal(expected.ResponseId, actual.ResponseId);
            Assert.Equal(expected.Duration, actual.Duration);
        }
    }

    [Fact]
    public void JsonLines_IsReadableWhileOpen_OneLinePerRecord()
    {
        using var ledger = new JsonLinesTokenLedger(_path);
        ledger.Record(Record(1));
        ledger.Record(Record(2));

        // Flushed per record: another reader sees both lines before the writer closes.
        Assert.Equal(2, TokenLedgerFile.Read(_path).Records.Count);
        Assert.Equal(2, File.ReadAllText(_path).Count(c => c == '\n'));
    }

    [Fact]
    public void TornLastLine_IsReportedAndSkipped_EveryCompleteRecordLoads()
    {
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            for (int i = 0; i < 5; i++)
            {
                ledger.Record(Record(i));
            }
        }

        // A crash mid-write: the sixth record stops halfway, with no newline.
        string sixth = File.ReadAllLines(_path)[0];
        File.AppendAllText(_path, sixth.Substring(0, sixth.Length / 2));

        var read = TokenLedgerFile.Read(_path);

        Assert.Equal(5, read.Records.Count);
        var problem = Assert.Single(read.Problems);
        Assert.True(problem.Torn);
        Assert.Equal(6, problem.Line);
        Assert.Contains("incomplete", problem.Message);
        Assert.StartsWith(_path + "(6):", problem.ToString());
    }

    [Fact]
    public void DamagedMiddleLine_IsReportedAndSkipped_TheRecordsAfterItLoad()
    {
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(1));
        }

        File.AppendAllText(_path, "{\"ts\":\"2026-11-29T08:00:00Z\",\"garbage\n");
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(3));
        }

        var read = TokenLedgerFile.Read(_path);

        Assert.Equal(new[] { "msg_1", "msg_3" }, read.Records.Select(r => r.ResponseId));
        var problem = Assert.Single(read.Problems);
        Assert.False(problem.Torn);
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public void ASecondWriter_FailsToOpenInsteadOfOverwriting()
    {
        using var first = new JsonLinesTokenLedger(_path);
        first.Record(Record(1));

        var error = Assert.Throws<IOException>(() => new JsonLinesTokenLedger(_path));

        Assert.Contains("already open for writing", error.Message);
        first.Record(Record(2));
        Assert.Equal(2, TokenLedgerFile.Read(_path).Records.Count);
    }

    [Fact]
    public void AfterTheWriterCloses_TheFileCanBeOpenedAgain()
    {
        new JsonLinesTokenLedger(_path).Dispose();
        using var again = new JsonLinesTokenLedger(_path);
        again.Record(Record(1));
        Assert.False(File.Exists(_path + ".lock") && new FileInfo(_path + ".lock").Length > 0);
    }

    [Theory]
    [InlineData("{\"ts\":null,\"input\":1,\"cache_read\":0,\"cache_write_5m\":0,\"cache_write_1h\":0,\"output\":1,\"cost_usd\":null}")]
    [InlineData("{\"ts\":\"2026-11-29T08:00:00Z\",\"agents\":[null],\"input\":1,\"cache_read\":0,\"cache_write_5m\":0,\"cache_write_1h\":0,\"output\":1,\"cost_usd\":null}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"ts\":\"not a date\",\"input\":1}")]
    public void DamagedLinesOfAnyShape_AreReportedNeverThrown(string damaged)
    {
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(1));
        }

        File.AppendAllText(_path, damaged + "\n");
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(3));
        }

        var read = TokenLedgerFile.Read(_path);

        Assert.Equal(new[] { "msg_1", "msg_3" }, read.Records.Select(r => r.ResponseId));
        Assert.Equal(2, Assert.Single(read.Problems).Line);
    }

    [Fact]
    public void ACallMeteredTwice_IsCountedOnce_AndReported()
    {
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(1));
            ledger.Record(Record(1));
            ledger.Record(Record(1) with { Model = "gpt-4.1" }); // another provider may reuse an id: not a duplicate
        }

        var read = TokenLedgerFile.Read(_path);

        Assert.Equal(2, read.Records.Count);
        var duplicate = Assert.Single(read.Problems);
        Assert.Equal(2, duplicate.Line);
        Assert.Contains("same call as line 1", duplicate.Message);
    }

    [Fact]
    public void ALargeLedger_IsReadRecordByRecord()
    {
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            for (int i = 0; i < 5_000; i++)
            {
                ledger.Record(Record(i));
            }
        }

        var read = TokenLedgerFile.Read(_path);

        Assert.Equal(5_000, read.Records.Count); // lines cross the reader's 64 KB chunks
        Assert.Equal(Enumerable.Range(0, 5_000).Sum(i => (long)i), read.Records.Sum(r => r.Tokens.InputTokens));
        Assert.Empty(read.Problems);
    }

    [Fact]
    public void ReopeningAfterACrash_StartsOnAFreshLine()
    {
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(1));
        }

        File.AppendAllText(_path, "{\"ts\":\"2026-11-");
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(2));
        }

        var read = TokenLedgerFile.Read(_path);

        Assert.Equal(new[] { "msg_1", "msg_2" }, read.Records.Select(r => r.ResponseId));
        Assert.Single(read.Problems); // the torn line, now damage in the middle
    }

    [Fact]
    public void JsonLines_HoldsNoTextBeyondIdsAndCounts()
    {
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(1, "s-1", 0.5m, "agent"));
        }

        string line = File.ReadAllText(_path, Encoding.UTF8);
        using var document = System.Text.Json.JsonDocument.Parse(line);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(
            new[] { "ts", "model", "agents", "session", "task", "input", "cache_read", "cache_write_5m", "cache_write_1h", "output", "reasoning", "cost_usd", "response_id", "duration_ms" },
            names);
    }

    [Fact]
    public void InMemory_KeepsTheNewestRecordsWithinItsCapacity_TotalsKeepEverything()
    {
        var ledger = new InMemoryTokenLedger(capacity: 3);
        for (int i = 1; i <= 5; i++)
        {
            ledger.Record(Record(i));
        }

        Assert.Equal(new[] { "msg_3", "msg_4", "msg_5" }, ledger.Records.Select(r => r.ResponseId));
        Assert.Equal(5, ledger.Totals.Calls);
        Assert.Equal(15, ledger.Totals.Tokens.InputTokens);
        Assert.Equal(0.05m, ledger.Totals.CostUsd);
    }

    [Fact]
    public void InMemory_ByAgent_CountsANestedCallForEachAgentOnce()
    {
        var ledger = new InMemoryTokenLedger();
        ledger.Record(Record(1, cost: 1m, agents: new[] { "planner", "billing" }));
        ledger.Record(Record(2, cost: 2m, agents: new[] { "planner" }));
        ledger.Record(Record(3, cost: 4m));

        var byAgent = ledger.ByAgent().ToDictionary(g => g.Key ?? "(none)");
        Assert.Equal(3m, byAgent["planner"].CostUsd);
        Assert.Equal(1m, byAgent["billing"].CostUsd);
        Assert.Equal(4m, byAgent["(none)"].CostUsd);

        // Innermost attribution adds up to the total: nothing counted twice.
        Assert.Equal(ledger.Totals.CostUsd, ledger.ByInnermostAgent().Sum(g => g.CostUsd));
    }

    [Fact]
    public void InMemory_SessionCosts_PercentilesAndTheTopOnePercentShare()
    {
        var ledger = new InMemoryTokenLedger();
        // 99 sessions at $0.01 and one runaway session at $9.01.
        for (int i = 0; i < 99; i++)
        {
            ledger.Record(Record(i, "s-" + i, 0.01m));
        }

        ledger.Record(Record(100, "runaway", 9m));
        ledger.Record(Record(101, "runaway", 0.01m));
        ledger.Record(Record(102, session: null, cost: 100m)); // no session: left out

        var costs = ledger.SessionCosts();

        Assert.Equal(100, costs.Sessions);
        Assert.Equal(0.01m, costs.P50);
        Assert.Equal(0.01m, costs.P90);
        Assert.Equal(0.01m, costs.P99);
        Assert.Equal(9.01m, costs.Max);
        Assert.Equal((double)(9.01m / 10m), costs.TopOnePercentShare, precision: 6);
    }

    [Fact]
    public void InMemory_ByModelAndBySession()
    {
        var ledger = new InMemoryTokenLedger();
        ledger.Record(Record(1, "a", 1m) with { Model = "gpt-4.1" });
        ledger.Record(Record(2, "a", 2m));
        ledger.Record(Record(3, "b", null));

        Assert.Equal(new[] { ("claude-sonnet-4-5", 2m), ("gpt-4.1", 1m) }, ledger.ByModel().Select(g => (g.Key!, g.CostUsd)));
        var a = ledger.BySession().Single(g => g.Key == "a");
        Assert.Equal((2L, 3m), (a.Calls, a.CostUsd));
        Assert.Equal(1, ledger.BySession().Single(g => g.Key == "b").UnpricedCalls);
    }
}
