using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using TokenLint.Runtime;

namespace TokenLint.Postgres.Tests;

public sealed class PostgresTokenLedgerTests(PostgresSchemaFixture db) : IClassFixture<PostgresSchemaFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sums_and_every_query_equal_the_in_memory_ledger_on_the_same_records()
    {
        var names = await MigratedSchema();
        var records = LedgerRecords.Many(3_000);
        using var folder = new TempFolder();
        await using (var ledger = Ledger(db.DataSource, names, folder.File("spill.jsonl"), batchSize: 128))
        {
            // 16 writers at once, as the metering clients of a busy process.
            await Parallel.ForEachAsync(Enumerable.Range(0, 16), async (w, _) =>
            {
                for (int i = w; i < records.Length; i += 16)
                {
                    ledger.Record(records[i]);
                }

                await Task.Yield();
            });
            await ledger.FlushAsync(Timeout());

            var memory = LedgerRecords.InMemory(records);
            Assert.Equal(memory.Totals, await ledger.TotalsAsync());
            Assert.Equal(records.Sum(r => r.CostUsd ?? 0m), (await ledger.TotalsAsync()).CostUsd);
            AssertSameGroups(memory.ByAgent(), await ledger.ByAgentAsync());
            AssertSameGroups(memory.ByInnermostAgent(), await ledger.ByInnermostAgentAsync());
            AssertSameGroups(memory.BySession(), await ledger.BySessionAsync());
            AssertSameGroups(memory.ByModel(), await ledger.ByModelAsync());
            Assert.Equal(memory.SessionCosts(), await ledger.SessionCostsAsync());
            Assert.Equal(new PostgresTokenLedgerStatistics(3_000, 3_000, 0, 0, 0, 0, 0, true), ledger.Statistics);
        }
    }

    [Fact]
    public async Task A_period_counts_the_calls_from_since_up_to_but_not_including_until()
    {
        var names = await MigratedSchema();
        var records = LedgerRecords.Many(300); // one a minute from LedgerRecords.Start
        using var folder = new TempFolder();
        await using var ledger = Ledger(db.DataSource, names, folder.File("spill.jsonl"));
        Array.ForEach(records, ledger.Record);
        await ledger.FlushAsync(Timeout());

        var since = LedgerRecords.Start.AddMinutes(60);
        var until = LedgerRecords.Start.AddMinutes(120);
        var inPeriod = records.Where(r => r.Timestamp >= since && r.Timestamp < until).ToArray();
        Assert.Equal(60, inPeriod.Length);
        var memory = LedgerRecords.InMemory(inPeriod);
        Assert.Equal(memory.Totals, await ledger.TotalsAsync(since, until));
        AssertSameGroups(memory.ByModel(), await ledger.ByModelAsync(since, until));
        Assert.Equal(memory.SessionCosts(), await ledger.SessionCostsAsync(since, until));
        Assert.Equal(240, (await ledger.TotalsAsync(since: since)).Calls);
        Assert.Equal(60, (await ledger.TotalsAsync(until: since)).Calls);
    }

    [Fact]
    public async Task A_retried_batch_and_a_record_given_twice_count_once()
    {
        var names = await MigratedSchema();
        var batch = LedgerRecords.Many(50);
        var writer = new UsageRecordBatchWriter(db.DataSource, names);

        Assert.Equal(50, await writer.WriteAsync(batch, CancellationToken.None));
        Assert.Equal(0, await writer.WriteAsync(batch, CancellationToken.None)); // the commit's answer was lost: sent again
        Assert.Equal(1, await writer.WriteAsync([.. batch, LedgerRecords.Make(50)], CancellationToken.None));

        using var folder = new TempFolder();
        await using var ledger = Ledger(db.DataSource, names, folder.File("spill.jsonl"));
        ledger.Record(batch[0]);
        await ledger.FlushAsync(Timeout());
        Assert.Equal(LedgerRecords.InMemory(batch.Append(LedgerRecords.Make(50))).Totals, await ledger.TotalsAsync());
        Assert.Equal((0L, 1L), (ledger.Statistics.Written, ledger.Statistics.AlreadyWritten));
    }

    [Fact]
    public async Task A_record_without_an_id_is_given_one_and_written()
    {
        var names = await MigratedSchema();
        using var folder = new TempFolder();
        await using var ledger = Ledger(db.DataSource, names, folder.File("spill.jsonl"));

        ledger.Record(LedgerRecords.Make(1) with { RecordId = null });
        ledger.Record(LedgerRecords.Make(1) with { RecordId = null }); // built by hand twice: two calls
        await ledger.FlushAsync(Timeout());

        Assert.Equal(2, (await ledger.TotalsAsync()).Calls);
    }

    [Fact]
    public async Task Server_down_records_wait_then_spill_owner_only_then_land_when_it_returns()
    {
        var names = await MigratedSchema();
        await using var proxy = new OutageProxy(db.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(proxy.ConnectionString);
        using var folder = new TempFolder();
        var logs = new FakeLogger();
        var records = LedgerRecords.Many(40);
        await using var ledger = Ledger(dataSource, names, folder.File("spill.jsonl"), queueCapacity: 10, batchSize: 5, logger: logs);

        proxy.Cut();
        foreach (var record in records)
        {
            ledger.Record(record);
        }

        // The queue holds 10 and the writer at most one batch of 5: the rest went to the spill file.
        var spilled = ledger.Statistics.Spilled;
        Assert.InRange(spilled, 25, 30);
        Assert.Equal(spilled, File.ReadAllLines(ledger.SpillPath).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ledger.SpillPath));
        }

        await WaitUntil(() => !ledger.Statistics.DatabaseReachable);
        Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("usage_records")}"));

        proxy.Restore();
        await ledger.FlushAsync(Timeout());

        Assert.Equal(LedgerRecords.InMemory(records).Totals, await ledger.TotalsAsync());
        var statistics = ledger.Statistics;
        Assert.Equal((40L, 40L, 0L, spilled, spilled), (statistics.Recorded, statistics.Written, statistics.Dropped, statistics.Spilled, statistics.Replayed));
        Assert.True(statistics.DatabaseReachable);
        Assert.Equal(0, new FileInfo(ledger.SpillPath).Length);
        Assert.False(File.Exists(ledger.SpillPath + ".replay"));
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Message.Contains("cannot reach the database", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), r =>
            r.Message.Contains(PostgresTestServer.Password, StringComparison.Ordinal)
            || r.Exception?.ToString().Contains(PostgresTestServer.Password, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Closing_with_the_server_down_spills_everything_and_the_next_start_replays_it_once()
    {
        var names = await MigratedSchema();
        await using var proxy = new OutageProxy(db.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(proxy.ConnectionString);
        using var folder = new TempFolder();
        string spill = folder.File("spill.jsonl");
        var records = LedgerRecords.Many(30);

        proxy.Cut();
        var first = Ledger(dataSource, names, spill, queueCapacity: 10, batchSize: 5, shutdownTimeout: TimeSpan.FromSeconds(1));
        Array.ForEach(records, first.Record);
        await first.DisposeAsync();
        Assert.Equal(30, first.Statistics.Spilled);
        Assert.Equal(30, TokenLedgerFile.Read(spill).Records.Count);

        proxy.Restore();
        await using (var second = Ledger(dataSource, names, spill))
        {
            await second.FlushAsync(Timeout());
            Assert.Equal(LedgerRecords.InMemory(records).Totals, await second.TotalsAsync());
            Assert.Equal((30L, 30L), (second.Statistics.Replayed, second.Statistics.Written));
        }

        await using (var third = Ledger(dataSource, names, spill))
        {
            await third.FlushAsync(Timeout());
            Assert.Equal(0, third.Statistics.Replayed);
            Assert.Equal(30, (await third.TotalsAsync()).Calls);
        }
    }

    [Fact]
    public async Task A_replay_cut_short_by_a_crash_is_replayed_again_and_still_counts_once()
    {
        var names = await MigratedSchema();
        using var folder = new TempFolder();
        string spill = folder.File("spill.jsonl");
        var records = LedgerRecords.Many(20);
        // What a process that died after committing a replay, before deleting the file, leaves behind.
        using (var file = new JsonLinesTokenLedger(spill + ".replay"))
        {
            Array.ForEach(records, file.Record);
        }

        await new UsageRecordBatchWriter(db.DataSource, names).WriteAsync(records[..12], CancellationToken.None);

        await using var ledger = Ledger(db.DataSource, names, spill);
        await ledger.FlushAsync(Timeout());

        Assert.Equal(LedgerRecords.InMemory(records).Totals, await ledger.TotalsAsync());
        Assert.Equal((8L, 12L), (ledger.Statistics.Written, ledger.Statistics.AlreadyWritten));
        Assert.False(File.Exists(spill + ".replay"));
    }

    [Fact]
    public async Task A_dropped_record_is_counted_and_logged_never_silent()
    {
        var names = await MigratedSchema();
        using var folder = new TempFolder();
        var logs = new FakeLogger();
        var ledger = Ledger(db.DataSource, names, folder.File("spill.jsonl"), logger: logs);
        await ledger.DisposeAsync();

        // A metering client still holding the closed ledger: nowhere left to put the record.
        ledger.Record(LedgerRecords.Make(1));

        Assert.Equal(1, ledger.Statistics.Dropped);
        var logged = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Contains("dropped record", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_the_database_refuses_is_dropped_counted_and_logged_and_its_batch_still_lands()
    {
        var names = await MigratedSchema();
        using var folder = new TempFolder();
        var logs = new FakeLogger();
        var records = LedgerRecords.Many(9);
        await using var ledger = Ledger(db.DataSource, names, folder.File("spill.jsonl"), batchSize: 10, logger: logs);

        Array.ForEach(records, ledger.Record);
        ledger.Record(LedgerRecords.Make(9) with { Model = "bad\0model" }); // PostgreSQL text cannot hold NUL
        await ledger.FlushAsync(Timeout());

        Assert.Equal(LedgerRecords.InMemory(records).Totals, await ledger.TotalsAsync());
        Assert.Equal((9L, 1L), (ledger.Statistics.Written, ledger.Statistics.Dropped));
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A_second_ledger_on_the_same_spill_file_fails_at_start()
    {
        var names = await MigratedSchema();
        using var folder = new TempFolder();
        await using var first = Ledger(db.DataSource, names, folder.File("spill.jsonl"));

        Assert.Throws<IOException>(() => Ledger(db.DataSource, names, folder.File("spill.jsonl")));
    }

    [Fact]
    public async Task Metered_calls_land_with_the_ids_metering_gave_them()
    {
        var names = await MigratedSchema();
        using var folder = new TempFolder();
        await using var ledger = Ledger(db.DataSource, names, folder.File("spill.jsonl"));
        var memory = new InMemoryTokenLedger();
        var client = new ChatClientBuilder(new FixedUsageChatClient())
            .UseTokenMetering(ledger, o => o.Sinks.Add(memory)).Build();

        for (int i = 0; i < 5; i++)
        {
            await client.GetResponseAsync("hi");
        }

        await ledger.FlushAsync(Timeout());
        Assert.Equal(memory.Totals, await ledger.TotalsAsync());
        foreach (var record in memory.Records)
        {
            Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("usage_records")} WHERE record_id = '{record.RecordId}'"));
        }
    }

    private static void AssertSameGroups(System.Collections.Generic.IReadOnlyList<SpendGroup> expected, System.Collections.Generic.IReadOnlyList<SpendGroup> actual)
    {
        Assert.Equal(expected.OrderBy(g => g.Key, StringComparer.Ordinal), actual.OrderBy(g => g.Key, StringComparer.Ordinal));
        // Dollars then tokens, descending, as the in-memory ledger orders them.
        Assert.Equal(expected.Select(g => (g.CostUsd, g.Tokens.TotalTokens)), actual.Select(g => (g.CostUsd, g.Tokens.TotalTokens)));
    }

    private async Task<PostgresSchemaNames> MigratedSchema()
    {
        var names = db.NewSchema();
        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, names);
        return names;
    }

    private static PostgresTokenLedger Ledger(
        NpgsqlDataSource dataSource, PostgresSchemaNames names, string spillPath, int queueCapacity = 10_000, int batchSize = 500,
        TimeSpan? shutdownTimeout = null, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        new(dataSource, spillPath, new PostgresTokenLedgerOptions
        {
            Names = names,
            QueueCapacity = queueCapacity,
            BatchSize = batchSize,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            RetryDelay = TimeSpan.FromMilliseconds(100),
            ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10),
        }, logger);

    private static CancellationToken Timeout() => new CancellationTokenSource(Patience).Token;

    /// <summary>Polls a condition the ledger's background writer will reach; fails after a minute.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
