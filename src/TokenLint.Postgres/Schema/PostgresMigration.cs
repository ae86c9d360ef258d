namespace TokenLint.Postgres;

/// <summary>
/// One step of the schema: applied once, in version order, inside the migrator's transaction. A released migration
/// never changes; a change to the schema is a new migration with the next version.
/// </summary>
internal abstract class PostgresMigration
{
    /// <summary>Starts at 1; each migration's is one more than the one before it.</summary>
    public abstract int Version { get; }

    /// <summary>A line for the <c>schema_version</c> table: what the step adds.</summary>
    public abstract string Description { get; }

    /// <summary>The SQL of the step, with every table name from <paramref name="context"/> (quoted, prefixed).</summary>
    public abstract string Sql(PostgresMigrationContext context);
}

/// <summary>What a migration may ask about the database it runs in.</summary>
/// <param name="Names">Schema and table prefix.</param>
/// <param name="VectorExtensionInstalled">Whether an administrator has created pgvector's <c>vector</c> extension.</param>
internal sealed record PostgresMigrationContext(PostgresSchemaNames Names, bool VectorExtensionInstalled)
{
    public string Table(string name) => Names.Table(name);

    public string Object(string name) => Names.Object(name);
}
