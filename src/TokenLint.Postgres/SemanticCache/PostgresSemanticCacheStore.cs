using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Npgsql;
using NpgsqlTypes;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// A <see cref="ISemanticCacheStore"/> every process of a fleet shares: one row per entry, keyed by partition and
/// exact key, so an answer stored by one process is served to another asking in the same partition, and never in
/// another partition. Lookups by meaning use pgvector's HNSW index (cosine) when the database has the
/// <c>vector</c> extension, else compare every vector of the partition exactly. Time to live is absolute from the
/// write, on <see cref="PostgresSemanticCacheStoreOptions.TimeProvider"/>'s clock, as in
/// <see cref="InMemorySemanticCacheStore"/>; expired rows, which hold question and answer text, are deleted by
/// <see cref="RemoveExpiredAsync"/> and every <see cref="PostgresSemanticCacheStoreOptions.MaintenanceInterval"/> writes.
/// </summary>
public sealed class PostgresSemanticCacheStore : ISemanticCacheStore
{
    private const string Columns = "partition, exact_key, question, embedding, response, stored_at, expires_at";
    private static readonly JsonSerializerOptions s_json = AIJsonUtilities.DefaultOptions;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSemanticCacheStoreOptions _options;
    private readonly string _table;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private readonly ConcurrentDictionary<int, bool> _indexedDimensions = new();
    private bool? _usesVectorIndex;
    private int _dimension;
    private long _writes;

    /// <param name="dataSource">The database; its schema must be migrated (<see cref="PostgresSchemaMigrator.MigrateAsync"/>).</param>
    /// <param name="options">Names, search mode, capacity and clock.</param>
    public PostgresSemanticCacheStore(NpgsqlDataSource dataSource, PostgresSemanticCacheStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _options = options ?? new PostgresSemanticCacheStoreOptions();
        _options.Validate();
        _dataSource = dataSource;
        _table = _options.Names.Table("semantic_cache_entries");
    }

    /// <summary>Whether lookups use pgvector's index; known after the first call (the extension is looked up once).</summary>
    public bool? UsesVectorIndex => _usesVectorIndex;

    public async ValueTask<SemanticCacheEntry?> GetExactAsync(string partition, string exactKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(exactKey);
        await using var command = _dataSource.CreateCommand(
            $"SELECT {Columns} FROM {_table} WHERE partition = @partition AND exact_key = @exact_key AND expires_at > @now");
        command.Parameters.Add(Text("partition", partition));
        command.Parameters.Add(Text("exact_key", exactKey));
        command.Parameters.Add(Time("now", _options.TimeProvider.GetUtcNow()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(reader) : null;
    }

    public async ValueTask<IReadOnlyList<SemanticCacheMatch>> SearchAsync(
        string partition, ReadOnlyMemory<float> vector, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        float[] query = Normalized(vector.Span);
        CheckDimension(query.Length);
        bool indexed = await PrepareAsync(query.Length, cancellationToken).ConfigureAwait(false);
        var now = _options.TimeProvider.GetUtcNow();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        string dims = query.Length.ToString(CultureInfo.InvariantCulture);
        if (indexed)
        {
            // A partition filter applied after the index scan would leave too few rows: iterative scans keep reading
            // the index until the filter has passed enough (relaxed order; the rows are re-sorted below).
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL hnsw.iterative_scan = relaxed_order"));
            if (_options.EfSearch is { } ef)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL hnsw.ef_search = {ef.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        // The dimension is written into the SQL (an integer, not text) so the planner can match the index's
        // expression and its WHERE clause, which a parameter would hide.
        string sql = indexed
            ? $"""
                SELECT {Columns}, (1 - ((embedding::vector({dims})) <=> @query::vector({dims})))::real
                FROM {_table}
                WHERE partition = @partition AND dimensions = {dims} AND expires_at > @now
                ORDER BY (embedding::vector({dims})) <=> @query::vector({dims})
                LIMIT @count
                """
            : $"""
                SELECT * FROM (
                    SELECT {Columns}, (SELECT sum(a::float8 * b) FROM unnest(embedding, @query) AS u(a, b))::real AS similarity
                    FROM {_table}
                    WHERE partition = @partition AND dimensions = {dims} AND expires_at > @now
                ) scanned
                ORDER BY similarity DESC
                LIMIT @count
                """;
        var select = new NpgsqlBatchCommand(sql);
        select.Parameters.Add(new NpgsqlParameter<float[]>("query", NpgsqlDbType.Array | NpgsqlDbType.Real) { TypedValue = query });
        select.Parameters.Add(Text("partition", partition));
        select.Parameters.Add(Time("now", now));
        select.Parameters.Add(new NpgsqlParameter<int>("count", NpgsqlDbType.Integer) { TypedValue = count });
        batch.BatchCommands.Add(select);

        var matches = new List<SemanticCacheMatch>(count);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                matches.Add(new SemanticCacheMatch(ReadEntry(reader), reader.GetFloat(7)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        matches.Sort((a, b) => b.Similarity.CompareTo(a.Similarity));
        return matches;
    }

    public async ValueTask SetAsync(SemanticCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        float[]? vector = entry.Vector.IsEmpty ? null : Normalized(entry.Vector.Span);
        if (vector is not null)
        {
            CheckDimension(vector.Length);
            await PrepareAsync(vector.Length, cancellationToken).ConfigureAwait(false);
        }

        await using (var command = _dataSource.CreateCommand($"""
            INSERT INTO {_table} (partition, exact_key, question, dimensions, embedding, response, stored_at, expires_at)
            VALUES (@partition, @exact_key, @question, @dimensions, @embedding, @response, @stored_at, @expires_at)
            ON CONFLICT (partition, exact_key) DO UPDATE SET
                question = excluded.question, dimensions = excluded.dimensions, embedding = excluded.embedding,
                response = excluded.response, stored_at = excluded.stored_at, expires_at = excluded.expires_at
            """))
        {
            command.Parameters.Add(Text("partition", entry.Partition));
            command.Parameters.Add(Text("exact_key", entry.ExactKey));
            command.Parameters.Add(Text("question", entry.Question));
            command.Parameters.Add(new NpgsqlParameter<int?>("dimensions", NpgsqlDbType.Integer) { TypedValue = vector?.Length });
            command.Parameters.Add(new NpgsqlParameter<float[]?>("embedding", NpgsqlDbType.Array | NpgsqlDbType.Real) { TypedValue = vector });
            command.Parameters.Add(Text("response", JsonSerializer.Serialize(entry.Response, s_json.GetTypeInfo(typeof(ChatResponse)))));
            command.Parameters.Add(Time("stored_at", entry.StoredAt));
            command.Parameters.Add(Time("expires_at", entry.ExpiresAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Interlocked.Increment(ref _writes) % _options.MaintenanceInterval == 0)
        {
            await RemoveExpiredAsync(cancellationToken).ConfigureAwait(false);
            await TrimToCapacityAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"DELETE FROM {_table} WHERE expires_at <= @now");
        command.Parameters.Add(Time("now", _options.TimeProvider.GetUtcNow()));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the oldest-written entries beyond <see cref="PostgresSemanticCacheStoreOptions.Capacity"/>; returns how many.</summary>
    public async ValueTask<int> TrimToCapacityAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"""
            DELETE FROM {_table} WHERE ctid IN (
                SELECT ctid FROM {_table} ORDER BY stored_at DESC OFFSET @capacity)
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("capacity", NpgsqlDbType.Bigint) { TypedValue = _options.Capacity });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Looks up the extension once, and with it creates the HNSW index for <paramref name="dimensions"/> once per
    /// dimension; returns whether lookups of that dimension use the index.
    /// </summary>
    private async ValueTask<bool> PrepareAsync(int dimensions, CancellationToken cancellationToken)
    {
        if (_usesVectorIndex == false || (_usesVectorIndex == true && _indexedDimensions.ContainsKey(dimensions)))
        {
            return _usesVectorIndex.Value;
        }

        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (_usesVectorIndex is null)
            {
                await using var lookup = new NpgsqlCommand("SELECT 1 FROM pg_extension WHERE extname = 'vector'", connection);
                _usesVectorIndex = _options.VectorSearch == PostgresVectorSearch.Auto
                    && await lookup.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
            }

            if (_usesVectorIndex == true && !_indexedDimensions.ContainsKey(dimensions))
            {
                await CreateIndexAsync(connection, dimensions, cancellationToken).ConfigureAwait(false);
                _indexedDimensions[dimensions] = true;
            }

            return _usesVectorIndex.Value;
        }
        finally
        {
            _setup.Release();
        }
    }

    private async Task CreateIndexAsync(NpgsqlConnection connection, int dimensions, CancellationToken cancellationToken)
    {
        string dims = dimensions.ToString(CultureInfo.InvariantCulture);
        // One process creates it; the others wait on the lock, then find it there.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long>("key", NpgsqlDbType.Bigint) { TypedValue = PostgresSchemaMigrator.LockKey(_options.Names) });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand($"""
            CREATE INDEX IF NOT EXISTS {_options.Names.Object("semantic_cache_entries_hnsw_" + dims)}
            ON {_table} USING hnsw ((embedding::vector({dims})) vector_cosine_ops)
            WHERE dimensions = {dims}
            """, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void CheckDimension(int dimensions)
    {
        int fixedDimension = Interlocked.CompareExchange(ref _dimension, dimensions, 0);
        if (fixedDimension != 0 && fixedDimension != dimensions)
        {
            throw new ArgumentException($"This store holds vectors of {fixedDimension} dimensions; got {dimensions}.");
        }
    }

    private static SemanticCacheEntry ReadEntry(NpgsqlDataReader reader)
    {
        float[]? vector = reader.IsDBNull(3) ? null : reader.GetFieldValue<float[]>(3);
        var response = (ChatResponse)JsonSerializer.Deserialize(reader.GetString(4), s_json.GetTypeInfo(typeof(ChatResponse)))!;
        return new SemanticCacheEntry(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            vector ?? ReadOnlyMemory<float>.Empty,
            response,
            reader.GetFieldValue<DateTimeOffset>(5),
            reader.GetFieldValue<DateTimeOffset>(6));
    }

    private static float[] Normalized(ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty)
        {
            throw new ArgumentException("The vector is empty.", nameof(vector));
        }

        // Stored and compared at unit length: the exact scan's dot product is then the cosine.
        float[] unit = vector.ToArray();
        float norm = TensorPrimitives.Norm(unit);
        if (norm > 0)
        {
            TensorPrimitives.Divide(unit, norm, unit);
        }

        return unit;
    }

    private static NpgsqlParameter<string> Text(string name, string value) => new(name, NpgsqlDbType.Text) { TypedValue = value };

    private static NpgsqlParameter<DateTime> Time(string name, DateTimeOffset value) =>
        new(name, NpgsqlDbType.TimestampTz) { TypedValue = value.UtcDateTime };
}
