namespace TokenLint.Postgres;

/// <summary>How <see cref="PostgresSemanticCacheStore"/> finds the nearest questions of a partition.</summary>
public enum PostgresVectorSearch
{
    /// <summary>pgvector's HNSW index when the database has the <c>vector</c> extension, else <see cref="Exact"/>.</summary>
    Auto = 0,

    /// <summary>
    /// Every unexpired vector of the partition compared in the database (the <c>real[]</c> column): exact, with no
    /// extension, and slower as partitions grow.
    /// </summary>
    Exact,
}
