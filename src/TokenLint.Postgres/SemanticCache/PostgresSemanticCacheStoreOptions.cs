using System;

namespace TokenLint.Postgres;

/// <summary>Settings of <see cref="PostgresSemanticCacheStore"/>.</summary>
public sealed class PostgresSemanticCacheStoreOptions
{
    /// <summary>Where the tables are (the names the schema was migrated with).</summary>
    public PostgresSchemaNames Names { get; set; } = PostgresSchemaNames.Default;

    /// <summary>pgvector when installed (default), or always the exact scan.</summary>
    public PostgresVectorSearch VectorSearch { get; set; } = PostgresVectorSearch.Auto;

    /// <summary>
    /// pgvector's <c>hnsw.ef_search</c> for lookups (candidates kept while searching; higher finds the true
    /// nearest more often and costs more); null keeps the server's setting (40 unless changed).
    /// </summary>
    public int? EfSearch { get; set; }

    /// <summary>
    /// Entries kept at most across partitions (default 100,000): the oldest written are deleted first, expired
    /// ones before them. Checked every <see cref="MaintenanceInterval"/> writes of this instance, so the table can
    /// pass it by that many writes per process in between.
    /// </summary>
    public long Capacity { get; set; } = 100_000;

    /// <summary>Writes of this instance between purges of expired entries and trims to <see cref="Capacity"/> (default 256).</summary>
    public int MaintenanceInterval { get; set; } = 256;

    /// <summary>The clock entries expire on; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Names);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaintenanceInterval, 1);
        if (EfSearch is { } ef)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ef, 1, nameof(EfSearch));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(ef, 1000, nameof(EfSearch));
        }
    }
}
