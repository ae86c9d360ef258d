using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Npgsql;
using TokenLint.Runtime;
using Xunit.Abstractions;

namespace TokenLint.Postgres.Tests;

public sealed class PostgresSemanticCacheStoreTests(PostgresSchemaFixture db, ITestOutputHelper output) : IClassFixture<PostgresSchemaFixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_processes_share_entries_within_a_partition_and_never_across_partitions()
    {
        var names = await MigratedSchema();
        // Two pools, as two processes would have.
        await using var first = NpgsqlDataSource.Create(db.ConnectionString);
        await using var second = NpgsqlDataSource.Create(db.ConnectionString);
        var clock = new ManualClock(Noon);
        var writer = new PostgresSemanticCacheStore(first, Options(names, clock));
        var reader = new PostgresSemanticCacheStore(second, Options(names, clock));
        var random = new Random(7);
        var vector = CacheEntries.RandomUnit(random, 16);

        await writer.SetAsync(CacheEntries.Make("tenant-a|gpt-4.1-mini", "k1", vector, Noon));

        var exact = await reader.GetExactAsync("tenant-a|gpt-4.1-mini", "k1");
        Assert.NotNull(exact);
        Assert.Equal("answer k1", exact.Response.Text);
        var match = Assert.Single(await reader.SearchAsync("tenant-a|gpt-4.1-mini", CacheEntries.Near(random, vector, 0.05f), 3));
        Assert.Equal("k1", match.Entry.ExactKey);
        Assert.InRange(match.Similarity, 0.99f, 1.0001f);

        // The same key and the same vector in another partition: nothing.
        Assert.Null(await reader.GetExactAsync("tenant-b|gpt-4.1-mini", "k1"));
        Assert.Empty(await reader.SearchAsync("tenant-b|gpt-4.1-mini", vector, 3));
        Assert.Empty(await reader.SearchAsync("tenant-a|gpt-4.1", vector, 3));
    }

    [Fact]
    public async Task An_entry_round_trips_with_its_response_usage_and_times()
    {
        var names = await MigratedSchema();
        var store = new PostgresSemanticCacheStore(db.DataSource, Options(names, new ManualClock(Noon)));
        var stored = CacheEntries.Make("p", "k", [3f, 4f], Noon);

        await store.SetAsync(stored);
        var read = (await store.GetExactAsync("p", "k"))!;

        Assert.Equal(("p", "k", "question k"), (read.Partition, read.ExactKey, read.Question));
        Assert.Equal(new[] { 0.6f, 0.8f }, read.Vector.ToArray()); // stored at unit length, as the in-process store does
        Assert.Equal((Noon, Noon.AddHours(1)), (read.StoredAt, read.ExpiresAt));
        Assert.Equal("answer k", read.Response.Text);
        Assert.Equal(("gpt-4.1-mini", "resp-k", ChatFinishReason.Stop), (read.Response.ModelId, read.Response.ResponseId, read.Response.FinishReason));
        Assert.Equal((120L, 7L), (read.Response.Usage!.InputTokenCount!.Value, read.Response.Usage.OutputTokenCount!.Value));
    }

    [Fact]
    public async Task Time_to_live_is_absolute_and_expired_rows_are_purged()
    {
        var names = await MigratedSchema();
        var clock = new ManualClock(Noon);
        var store = new PostgresSemanticCacheStore(db.DataSource, Options(names, clock));
        var vector = CacheEntries.RandomUnit(new Random(1), 8);
        await store.SetAsync(CacheEntries.Make("p", "short", vector, Noon, TimeSpan.FromMinutes(10)));
        await store.SetAsync(CacheEntries.Make("p", "long", vector, Noon, TimeSpan.FromHours(2)));

        clock.Now = Noon.AddMinutes(10) - TimeSpan.FromMilliseconds(1);
        Assert.NotNull(await store.GetExactAsync("p", "short")); // hits do not extend it
        clock.Now = Noon.AddMinutes(10);
        Assert.Null(await store.GetExactAsync("p", "short"));
        Assert.Equal(new[] { "long" }, (await store.SearchAsync("p", vector, 5)).Select(m => m.Entry.ExactKey));

        Assert.Equal(1, await store.RemoveExpiredAsync());
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("semantic_cache_entries")}"));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("semantic_cache_entries")} WHERE question = 'question short'"));
    }

    [Fact]
    public async Task A_write_replaces_the_entry_with_the_same_key_and_capacity_evicts_the_oldest()
    {
        var names = await MigratedSchema();
        var clock = new ManualClock(Noon);
        var options = Options(names, clock);
        options.Capacity = 3;
        options.MaintenanceInterval = 1;
        var store = new PostgresSemanticCacheStore(db.DataSource, options);
        var random = new Random(3);

        for (int i = 0; i < 5; i++)
        {
            clock.Now = Noon.AddSeconds(i);
            await store.SetAsync(CacheEntries.Make("p", "k" + i, CacheEntries.RandomUnit(random, 8), clock.Now));
        }

        clock.Now = Noon.AddSeconds(5);
        await store.SetAsync(CacheEntries.Make("p", "k4", CacheEntries.RandomUnit(random, 8), clock.Now) with { Question = "replaced" });

        Assert.Equal(3L, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("semantic_cache_entries")}"));
        Assert.Null(await store.GetExactAsync("p", "k1"));
        Assert.Equal("replaced", (await store.GetExactAsync("p", "k4"))!.Question);
        Assert.NotNull(await store.GetExactAsync("p", "k2"));
    }

    [Fact]
    public async Task An_entry_without_a_vector_serves_exact_repeats_only()
    {
        var names = await MigratedSchema();
        var store = new PostgresSemanticCacheStore(db.DataSource, Options(names, new ManualClock(Noon)));
        await store.SetAsync(CacheEntries.Make("p", "exact-only", [], Noon));

        Assert.NotNull(await store.GetExactAsync("p", "exact-only"));
        Assert.Empty(await store.SearchAsync("p", CacheEntries.RandomUnit(new Random(2), 8), 3));
    }

    [Fact]
    public async Task Vectors_of_another_dimension_are_refused()
    {
        var names = await MigratedSchema();
        var store = new PostgresSemanticCacheStore(db.DataSource, Options(names, new ManualClock(Noon)));
        await store.SetAsync(CacheEntries.Make("p", "k", new float[8], Noon) with { Vector = CacheEntries.RandomUnit(new Random(4), 8) });

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SearchAsync("p", new float[] { 1, 0, 0 }, 3));
    }

    [Fact]
    public async Task A_small_partition_beside_a_large_one_still_gets_its_nearest_entries_through_the_index()
    {
        var names = await MigratedSchema();
        var store = new PostgresSemanticCacheStore(db.DataSource, Options(names, new ManualClock(Noon)));
        Assert.True(store.UsesVectorIndex is null or true);
        var random = new Random(11);
        var center = CacheEntries.RandomUnit(random, 32);
        for (int i = 0; i < 1_500; i++)
        {
            await store.SetAsync(CacheEntries.Make("large", "l" + i, CacheEntries.Near(random, center, 0.3f), Noon));
        }

        for (int i = 0; i < 4; i++)
        {
            await store.SetAsync(CacheEntries.Make("small", "s" + i, CacheEntries.RandomUnit(random, 32), Noon));
        }

        Assert.True(store.UsesVectorIndex);
        // The query sits in the large partition's cluster: the index's first candidates are all "large" rows, which
        // the partition filter removes; the iterative scan keeps reading until the small partition's rows come up.
        var matches = await store.SearchAsync("small", center, 3);

        Assert.Equal(3, matches.Count);
        Assert.All(matches, m => Assert.Equal("small", m.Entry.Partition));
        Assert.True(matches[0].Similarity >= matches[1].Similarity && matches[1].Similarity >= matches[2].Similarity);
    }

    [Fact]
    public async Task Pgvector_and_the_exact_scan_give_the_same_nearest_entry_on_the_same_data()
    {
        var names = await MigratedSchema();
        var clock = new ManualClock(Noon);
        var indexed = new PostgresSemanticCacheStore(db.DataSource, Options(names, clock));
        var exactOptions = Options(names, clock);
        exactOptions.VectorSearch = PostgresVectorSearch.Exact;
        var exact = new PostgresSemanticCacheStore(db.DataSource, exactOptions);
        var random = new Random(2026);
        const int Dimensions = 64;
        var stored = Enumerable.Range(0, 3_000).Select(_ => CacheEntries.RandomUnit(random, Dimensions)).ToArray();
        for (int i = 0; i < stored.Length; i++)
        {
            await indexed.SetAsync(CacheEntries.Make(i % 2 == 0 ? "even" : "odd", "k" + i, stored[i], Noon));
        }

        // Paraphrases: a query near a stored question, which is what a cache is asked. Both modes find the same entry.
        int paraphrasesAgreeing = 0;
        for (int q = 0; q < 100; q++)
        {
            int target = random.Next(stored.Length);
            string partition = target % 2 == 0 ? "even" : "odd";
            var query = CacheEntries.Near(random, stored[target], 0.3f);
            var fromIndex = await indexed.SearchAsync(partition, query, 1);
            var fromScan = await exact.SearchAsync(partition, query, 1);
            Assert.Equal("k" + target, fromScan[0].Entry.ExactKey);
            paraphrasesAgreeing += fromIndex.Count == 1 && fromIndex[0].Entry.ExactKey == fromScan[0].Entry.ExactKey ? 1 : 0;
            Assert.Equal(fromScan[0].Similarity, fromIndex[0].Similarity, 4);
        }

        // Random queries, far from everything: the hardest case for an approximate index. Recall of the true nearest.
        int randomAgreeing = 0;
        const int RandomQueries = 200;
        for (int q = 0; q < RandomQueries; q++)
        {
            var query = CacheEntries.RandomUnit(random, Dimensions);
            var fromIndex = await indexed.SearchAsync("even", query, 1);
            var fromScan = await exact.SearchAsync("even", query, 1);
            randomAgreeing += fromIndex.Count == 1 && fromIndex[0].Entry.ExactKey == fromScan[0].Entry.ExactKey ? 1 : 0;
        }

        output.WriteLine($"top-1 agreement, pgvector HNSW vs exact scan, 3,000 vectors of {Dimensions} dimensions in two partitions: "
            + $"paraphrase queries {paraphrasesAgreeing}/100, random queries {randomAgreeing}/{RandomQueries}");
        Assert.True(indexed.UsesVectorIndex);
        Assert.False(exact.UsesVectorIndex);
        Assert.Equal(100, paraphrasesAgreeing);
        // HNSW is approximate: on random queries in 64 dimensions it misses the true nearest now and then.
        Assert.InRange(randomAgreeing, RandomQueries * 8 / 10, RandomQueries);
    }

    [Fact]
    public async Task A_database_without_pgvector_migrates_and_serves_from_the_exact_scan()
    {
        string database = "tl_novector_" + Guid.NewGuid().ToString("N")[..12];
        await Exec(db.DataSource, $"CREATE DATABASE {database}");
        try
        {
            string connectionString = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = database, Pooling = false }.ConnectionString;
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var names = new PostgresSchemaNames("tokenlint");
            await PostgresSchemaMigrator.MigrateAsync(dataSource, names);
            var store = new PostgresSemanticCacheStore(dataSource, Options(names, new ManualClock(Noon)));
            var random = new Random(5);
            var vectors = Enumerable.Range(0, 50).Select(_ => CacheEntries.RandomUnit(random, 16)).ToArray();
            for (int i = 0; i < vectors.Length; i++)
            {
                await store.SetAsync(CacheEntries.Make("p", "k" + i, vectors[i], Noon));
            }

            var matches = await store.SearchAsync("p", CacheEntries.Near(random, vectors[17], 0.1f), 2);

            Assert.False(store.UsesVectorIndex);
            Assert.Equal("k17", matches[0].Entry.ExactKey);
            Assert.Equal(2, matches.Count);
        }
        finally
        {
            await Exec(db.DataSource, $"DROP DATABASE {database} WITH (FORCE)");
        }
    }

    private async Task<PostgresSchemaNames> MigratedSchema()
    {
        var names = db.NewSchema();
        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, names);
        return names;
    }

    private static PostgresSemanticCacheStoreOptions Options(PostgresSchemaNames names, TimeProvider clock) =>
        new() { Names = names, TimeProvider = clock };

    private static async Task Exec(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
