using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Npgsql;
using TokenLint.Postgres;
using TokenLint.Runtime;

namespace TokenLint.PostgresBench;

/// <summary>Records from 8 threads into one ledger, timed from the first record to the flush that commits the last.</summary>
internal static class LedgerThroughput
{
    public static async Task RunAsync(NpgsqlDataSource dataSource, PostgresSchemaNames names, int records, int batchSize)
    {
        string spill = Path.Combine(Path.GetTempPath(), $"tokenlint-bench-spill-{Guid.NewGuid():N}.jsonl");
        var options = new PostgresTokenLedgerOptions { Names = names, BatchSize = batchSize, QueueCapacity = records };
        var start = DateTimeOffset.UtcNow;
        var made = new TokenUsageRecord[records];
        for (int i = 0; i < records; i++)
        {
            made[i] = new TokenUsageRecord
            {
                RecordId = Guid.NewGuid(),
                Timestamp = start.AddMilliseconds(i),
                Model = i % 2 == 0 ? "gpt-4.1" : "claude-sonnet-4-5",
                Agents = ["support", "billing"],
                Session = "s-" + (i % 1_000),
                Tokens = new TokenCounts { InputTokens = 1_000 + i % 500, CacheReadTokens = 2_048, OutputTokens = 100 + i % 50 },
                CostUsd = 0.0012345m + i % 7 * 0.0001m,
                ResponseId = "resp-" + i,
                Duration = TimeSpan.FromMilliseconds(800),
            };
        }

        await using var ledger = new PostgresTokenLedger(dataSource, spill, options);
        var clock = Stopwatch.StartNew();
        Parallel.For(0, 8, worker =>
        {
            for (int i = worker; i < records; i += 8)
            {
                ledger.Record(made[i]);
            }
        });
        await ledger.FlushAsync();
        clock.Stop();
        var statistics = ledger.Statistics;
        Console.WriteLine(FormattableString.Invariant(
            $"ledger: {records:N0} records, batches of {batchSize}: {clock.Elapsed.TotalSeconds:0.00} s, {records / clock.Elapsed.TotalSeconds:N0} records/s (written {statistics.Written:N0}, spilled {statistics.Spilled}, dropped {statistics.Dropped})"));
        await ledger.DisposeAsync();
        File.Delete(spill);
    }
}
