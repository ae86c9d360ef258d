using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Npgsql;
using NpgsqlTypes;
using TokenLint.Postgres;

namespace TokenLint.PostgresBench;

/// <summary>
/// One partition of N entries, loaded with COPY (the store's own writes would take N round trips), then lookups of
/// paraphrase-like queries (a stored vector moved a little) through the store, with the HNSW index and exact.
/// </summary>
internal static class CacheLookups
{
    private const string Partition = "bench-partition";

    public static async Task RunAsync(NpgsqlDataSource dataSource, PostgresSchemaNames names, int entries, int dimensions)
    {
        var random = new Random(42);
        var vectors = new float[entries][];
        for (int i = 0; i < entries; i++)
        {
            vectors[i] = RandomUnit(random, dimensions);
        }

        string table = names.Table("semantic_cache_entries");
        var clock = Stopwatch.StartNew();
        await LoadAsync(dataSource, table, vectors);
        Console.WriteLine(FormattableString.Invariant($"cache: loaded {entries:N0} entries of {dimensions} dimensions with COPY in {clock.Elapsed.TotalSeconds:0.0} s"));

        // The index the store would create on first use, built here with more memory so the build is not the bench.
        string dims = dimensions.ToString(CultureInfo.InvariantCulture);
        clock.Restart();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var memory = new NpgsqlCommand("SET maintenance_work_mem = '1GB'", connection);
            await memory.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"""
                CREATE INDEX {names.Object("semantic_cache_entries_hnsw_" + dims)} ON {table}
                USING hnsw ((embedding::vector({dims})) vector_cosine_ops) WHERE dimensions = {dims}
                """, connection) { CommandTimeout = 0 };
            await create.ExecuteNonQueryAsync();
            await using var analyze = new NpgsqlCommand($"ANALYZE {table}", connection);
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine(FormattableString.Invariant($"cache: HNSW index (m=16, ef_construction=64) built in {clock.Elapsed.TotalSeconds:0.0} s"));

        var exact = new PostgresSemanticCacheStore(dataSource, new PostgresSemanticCacheStoreOptions { Names = names, VectorSearch = PostgresVectorSearch.Exact });
        var queries = new List<float[]>();
        for (int q = 0; q < 200; q++)
        {
            queries.Add(Near(random, vectors[random.Next(entries)], 0.3f));
        }

        // The true nearest of the first queries, from the exact scan, timed.
        const int ExactLookups = 20;
        var exactTimes = new List<double>();
        var truth = new string[ExactLookups];
        for (int q = 0; q < ExactLookups; q++)
        {
            long started = Stopwatch.GetTimestamp();
            var matches = await exact.SearchAsync(Partition, queries[q], 5);
            exactTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            truth[q] = matches[0].Entry.ExactKey;
        }

        Console.WriteLine($"cache lookup, exact scan of real[] in SQL, top 5 of {entries:N0}: {Latencies.Summary(exactTimes)}");

        foreach (int? efSearch in new int?[] { null, 100, 400 })
        {
            var indexed = new PostgresSemanticCacheStore(dataSource, new PostgresSemanticCacheStoreOptions { Names = names, EfSearch = efSearch });
            await indexed.SearchAsync(Partition, queries[0], 5); // connection and plan warm-up
            var times = new List<double>();
            int agree = 0;
            for (int q = 0; q < queries.Count; q++)
            {
                long started = Stopwatch.GetTimestamp();
                var matches = await indexed.SearchAsync(Partition, queries[q], 5);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                agree += q < ExactLookups && matches.Count > 0 && matches[0].Entry.ExactKey == truth[q] ? 1 : 0;
            }

            Console.WriteLine($"cache lookup, pgvector HNSW (iterative scan, ef_search {efSearch?.ToString(CultureInfo.InvariantCulture) ?? "40 (server default)"}), top 5 of {entries:N0}: "
                + $"{Latencies.Summary(times)}; top-1 equal to the exact scan's on {agree}/{ExactLookups} paraphrase queries");
        }
    }

    private static async Task LoadAsync(NpgsqlDataSource dataSource, string table, float[][] vectors)
    {
        string response = JsonSerializer.Serialize(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "A cached answer of a few words.")) { ModelId = "gpt-4.1-mini" },
            AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse)));
        var now = DateTime.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var import = await connection.BeginBinaryImportAsync(
            $"COPY {table} (partition, exact_key, question, dimensions, embedding, response, stored_at, expires_at) FROM STDIN (FORMAT BINARY)");
        for (int i = 0; i < vectors.Length; i++)
        {
            await import.StartRowAsync();
            await import.WriteAsync(Partition, NpgsqlDbType.Text);
            await import.WriteAsync("k" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
            await import.WriteAsync("question " + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
            await import.WriteAsync(vectors[i].Length, NpgsqlDbType.Integer);
            await import.WriteAsync(vectors[i], NpgsqlDbType.Array | NpgsqlDbType.Real);
            await import.WriteAsync(response, NpgsqlDbType.Text);
            await import.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(now.AddDays(1), NpgsqlDbType.TimestampTz);
        }

        await import.CompleteAsync();
    }

    private static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            norm += vector[i] * vector[i];
        }

        for (int i = 0; i < dimensions; i++)
        {
            vector[i] /= (float)Math.Sqrt(norm);
        }

        return vector;
    }

    private static float[] Near(Random random, float[] vector, float noise)
    {
        var offset = RandomUnit(random, vector.Length);
        var near = new float[vector.Length];
        for (int i = 0; i < vector.Length; i++)
        {
            near[i] = vector[i] + noise * offset[i];
        }

        return near;
    }
}
