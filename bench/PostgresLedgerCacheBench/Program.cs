// Measures TokenLint.Postgres against a real server:
//   ledger records per second (PostgresTokenLedger: queue, unnest batches, ON CONFLICT on the record id), and
//   semantic-cache lookups (PostgresSemanticCacheStore.SearchAsync) in a partition of N entries, with pgvector's
//   HNSW index and with the exact scan, as p50/p99 latency, plus the index's top-1 agreement with the exact scan.
//
//   bash eng/with-test-postgres.sh dotnet run -c Release --project bench/PostgresLedgerCacheBench -- [entries] [dimensions]
//
// (or set TOKENLINT_TEST_POSTGRES yourself). Defaults: 100,000 entries of 384 dimensions (MiniLM's). Works in a
// schema of its own, dropped at the end.
using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using TokenLint.PostgresBench;
using TokenLint.Postgres;

string connectionString = Environment.GetEnvironmentVariable("TOKENLINT_TEST_POSTGRES")
    ?? throw new InvalidOperationException("Set TOKENLINT_TEST_POSTGRES (bash eng/with-test-postgres.sh does).");
int entries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
int dimensions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 384;

await using var dataSource = NpgsqlDataSource.Create(connectionString);
var names = new PostgresSchemaNames("bench_" + Guid.NewGuid().ToString("N")[..12]);
await PostgresSchemaMigrator.MigrateAsync(dataSource, names);
Console.WriteLine($"{Environment.ProcessorCount} cores; load average {LoadAverage()}");
try
{
    await LedgerThroughput.RunAsync(dataSource, names, records: 100_000, batchSize: 500);
    await LedgerThroughput.RunAsync(dataSource, names, records: 20_000, batchSize: 50);
    await CacheLookups.RunAsync(dataSource, names, entries, dimensions);
}
finally
{
    await using var drop = dataSource.CreateCommand($"DROP SCHEMA {names.QuotedSchema} CASCADE");
    await drop.ExecuteNonQueryAsync();
}

static string LoadAverage() =>
    System.IO.File.Exists("/proc/loadavg") ? string.Join(' ', System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
