using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using TokenLint.Runtime.Tests.Fakes;

namespace TokenLint.Runtime.Tests;

/// <summary>The per-call record id metering generates, and how ledger files carry it.</summary>
public sealed class RecordIdTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tokenlint-ids-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task EveryMeteredCall_GetsItsOwnId_StreamingAndWithoutAResponseIdToo()
    {
        var fake = new FakeChatClient();
        var ledger = new InMemoryTokenLedger();
        var client = new ChatClientBuilder(fake).UseTokenMetering(ledger).Build();
        var noIds = new ChatClientBuilder(new ResponseIdDroppingClient(fake)).UseTokenMetering(ledger).Build();

        await client.GetResponseAsync("a");
        await client.GetResponseAsync("a");
        await foreach (var _ in client.GetStreamingResponseAsync("b"))
        {
        }

        await noIds.GetResponseAsync("c");

        Assert.Equal(4, ledger.Records.Count);
        Assert.Null(ledger.Records[3].ResponseId);
        Assert.All(ledger.Records, r => Assert.NotNull(r.RecordId));
        Assert.Equal(4, ledger.Records.Select(r => r.RecordId).Distinct().Count());
    }

    [Fact]
    public async Task TheId_IsAVersion7UuidCarryingTheCallsMillisecond()
    {
        var clock = new FakeTimeProvider(Noon.AddMilliseconds(123));
        var ledger = new InMemoryTokenLedger();
        var client = new ChatClientBuilder(new FakeChatClient()).UseTokenMetering(ledger, o => o.TimeProvider = clock).Build();

        await client.GetResponseAsync("a");

        var id = Assert.Single(ledger.Records).RecordId!.Value;
        var text = id.ToString("N");
        Assert.Equal('7', text[12]);                 // version
        Assert.Contains(text[16], "89ab");           // RFC 9562 variant
        Assert.Equal(Noon.AddMilliseconds(123).ToUnixTimeMilliseconds(), Convert.ToInt64(text[..12], 16));
    }

    [Fact]
    public void Ids_SortByTime_AndDoNotRepeatWithinAMillisecond()
    {
        var sameMillisecond = Enumerable.Range(0, 10_000).Select(_ => UsageRecordId.New(Noon)).ToArray();
        Assert.Equal(sameMillisecond.Length, sameMillisecond.Distinct().Count());

        string earlier = UsageRecordId.New(Noon).ToString();
        string later = UsageRecordId.New(Noon.AddMilliseconds(1)).ToString();
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public void JsonLines_WritesTheIdSecond_AndReadsItBack()
    {
        var id = UsageRecordId.New(Noon);
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(id, responseId: "msg_1"));
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_path));
        Assert.Equal(new[] { "ts", "id" }, document.RootElement.EnumerateObject().Take(2).Select(p => p.Name));
        Assert.Equal(id, Assert.Single(TokenLedgerFile.Read(_path).Records).RecordId);
    }

    [Fact]
    public void ALedgerWrittenBeforeIds_ReadsAsBefore_WithoutAnId()
    {
        // A line as the writer wrote it before records had ids.
        File.WriteAllText(_path,
            "{\"ts\":\"2026-11-29T08:00:01.0000000Z\",\"model\":\"gpt-4.1\",\"input\":1,\"cache_read\":0,\"cache_write_5m\":0,\"cache_write_1h\":0,\"output\":2,\"reasoning\":0,\"cost_usd\":0.5,\"duration_ms\":3}\n"
            + "{\"ts\":\"2026-11-29T08:00:02.0000000Z\",\"model\":\"gpt-4.1\",\"input\":1,\"cache_read\":0,\"cache_write_5m\":0,\"cache_write_1h\":0,\"output\":2,\"reasoning\":0,\"cost_usd\":0.5,\"duration_ms\":3}\n");

        var read = TokenLedgerFile.Read(_path);

        Assert.Empty(read.Problems);
        Assert.Equal(2, read.Records.Count); // no ids: two calls, not one written twice
        Assert.All(read.Records, r => Assert.Null(r.RecordId));
    }

    [Fact]
    public void TheSameRecordWrittenTwice_WithoutAResponseId_IsCountedOnceByItsId()
    {
        var id = UsageRecordId.New(Noon);
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(id, responseId: null));
            ledger.Record(Record(UsageRecordId.New(Noon), responseId: null)); // another call, same counts: kept
            ledger.Record(Record(id, responseId: null));
        }

        var read = TokenLedgerFile.Read(_path);

        Assert.Equal(2, read.Records.Count);
        var duplicate = Assert.Single(read.Problems);
        Assert.True(duplicate.Duplicate);
        Assert.Equal(3, duplicate.Line);
        Assert.Contains("same call as line 1 (record id)", duplicate.Message);
    }

    [Fact]
    public void ReadByRecordId_KeepsTwoRecordsOfOneResponse_ButNotOneRecordTwice()
    {
        var id = UsageRecordId.New(Noon);
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(id, "msg_1"));
            ledger.Record(Record(UsageRecordId.New(Noon), "msg_1")); // the same call metered by two clients
            ledger.Record(Record(id, "msg_1"));
        }

        Assert.Single(TokenLedgerFile.Read(_path).Records);
        var byRecordId = TokenLedgerFile.Read(_path, LedgerDuplicates.ByRecordId);
        Assert.Equal(2, byRecordId.Records.Count);
        Assert.Equal(3, Assert.Single(byRecordId.Problems).Line);
    }

    [Fact]
    public void ADamagedId_IsADamagedLine()
    {
        using (var ledger = new JsonLinesTokenLedger(_path))
        {
            ledger.Record(Record(UsageRecordId.New(Noon), "msg_1"));
        }

        string line = File.ReadAllLines(_path)[0];
        File.AppendAllText(_path, System.Text.RegularExpressions.Regex.Replace(line, "\"id\":\"[^\"]+\"", "\"id\":\"not-a-uuid\"") + "\n");

        var read = TokenLedgerFile.Read(_path);

        Assert.Single(read.Records);
        Assert.Equal(2, Assert.Single(read.Problems).Line);
    }

    private static TokenUsageRecord Record(Guid id, string? responseId) => new()
    {
        RecordId = id,
        Timestamp = Noon,
        Model = "gpt-4.1",
        Tokens = new TokenCounts { InputTokens = 10, OutputTokens = 2 },
        CostUsd = 0.001m,
        ResponseId = responseId,
    };

    /// <summary>A provider that sends no response id.</summary>
    private sealed class ResponseIdDroppingClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(
            System.Collections.Generic.IEnumerable<ChatMessage> messages, ChatOptions? options = null, System.Threading.CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            response.ResponseId = null;
            return response;
        }
    }
}
