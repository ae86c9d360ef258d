namespace TokenLint.Postgres;

/// <summary>
/// Version 3: the semantic cache's entries. The question's vector is a <c>real[]</c>, which needs no extension; when
/// an administrator has created pgvector's <c>vector</c> extension, <see cref="PostgresSemanticCacheStore"/> adds an
/// HNSW index over <c>embedding::vector(n)</c> for its dimension, so the table is the same with or without pgvector
/// and an extension created later is used from the next start.
/// </summary>
internal sealed class Migration0003SemanticCache : PostgresMigration
{
    public override int Version => 3;

    public override string Description => "semantic cache entries";

    public override string Sql(PostgresMigrationContext context) => $"""
        CREATE TABLE {context.Table("semantic_cache_entries")} (
            partition text NOT NULL,
            exact_key text NOT NULL,
            question text NOT NULL,
            dimensions integer,
            embedding real[],
            response text NOT NULL,
            stored_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            CONSTRAINT {context.Object("semantic_cache_entries_key")} PRIMARY KEY (partition, exact_key),
            CONSTRAINT {context.Object("semantic_cache_entries_vector")} CHECK ((dimensions IS NULL) = (embedding IS NULL))
        );
        CREATE INDEX {context.Object("semantic_cache_entries_expiry")} ON {context.Table("semantic_cache_entries")} (expires_at);
        CREATE INDEX {context.Object("semantic_cache_entries_age")} ON {context.Table("semantic_cache_entries")} (stored_at);
        """;
}
