using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace TokenLint.Postgres;

/// <summary>
/// Creates and upgrades TokenLint's tables: each migration not yet recorded in the <c>schema_version</c> table is
/// applied in version order, all in one transaction. Safe to run from every process at start-up: a transaction-level
/// advisory lock on the schema makes concurrent runs wait for each other, and the one that runs second finds nothing
/// left to do. Needs no superuser: the role needs CREATE on the database (when the schema is missing) or on the schema.
/// </summary>
public static class PostgresSchemaMigrator
{
    /// <summary>The schema version this package creates.</summary>
    public static int LatestVersion => PostgresMigrations.All[^1].Version;

    /// <summary>Applies the migrations <paramref name="names"/> lacks.</summary>
    /// <returns>The database's schema version afterwards: at least <see cref="LatestVersion"/> (higher when a newer package migrated it).</returns>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, PostgresSchemaNames? names = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        names ??= PostgresSchemaNames.Default;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", LockKey(names))).ConfigureAwait(false);

        // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database even when the schema exists: only
        // create it when it is missing, so a role that owns an existing schema needs nothing more.
        if (!await ExistsAsync(connection, "SELECT 1 FROM pg_namespace WHERE nspname = @name", cancellationToken, ("name", names.Schema)).ConfigureAwait(false))
        {
            await ExecuteAsync(connection, $"CREATE SCHEMA {names.QuotedSchema}", cancellationToken).ConfigureAwait(false);
        }

        string versions = names.Table("schema_version");
        await ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {versions} (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken).ConfigureAwait(false);

        int current;
        await using (var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {versions}", connection))
        {
            current = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var context = new PostgresMigrationContext(
            names,
            await ExistsAsync(connection, "SELECT 1 FROM pg_extension WHERE extname = 'vector'", cancellationToken).ConfigureAwait(false));
        foreach (var migration in Pending(current))
        {
            await ExecuteAsync(connection, migration.Sql(context), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"INSERT INTO {versions} (version, description) VALUES (@version, @description)", cancellationToken,
                ("version", migration.Version), ("description", migration.Description)).ConfigureAwait(false);
            current = migration.Version;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    /// <summary>The SQL every migration runs, in order, for <paramref name="names"/>: what the package README shows.</summary>
    /// <param name="names">Schema and table prefix; the defaults unless given.</param>
    /// <param name="vectorExtensionInstalled">Whether to show the SQL for a database with pgvector's extension.</param>
    public static string Script(PostgresSchemaNames? names = null, bool vectorExtensionInstalled = true)
    {
        var context = new PostgresMigrationContext(names ?? PostgresSchemaNames.Default, vectorExtensionInstalled);
        var script = new System.Text.StringBuilder();
        foreach (var migration in PostgresMigrations.All)
        {
            script.Append("-- version ").Append(migration.Version).Append(": ").AppendLine(migration.Description);
            script.AppendLine(migration.Sql(context).TrimEnd()).AppendLine();
        }

        return script.ToString();
    }

    private static IEnumerable<PostgresMigration> Pending(int current)
    {
        int expected = current + 1;
        foreach (var migration in PostgresMigrations.All)
        {
            if (migration.Version <= current)
            {
                continue;
            }

            if (migration.Version != expected)
            {
                throw new InvalidOperationException($"TokenLint.Postgres migration versions must follow each other: expected {expected}, found {migration.Version}.");
            }

            expected++;
            yield return migration;
        }
    }

    /// <summary>One lock per schema (64-bit FNV-1a of its name): migrations of different schemas do not wait for each other.</summary>
    internal static long LockKey(PostgresSchemaNames names)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in "TokenLint.Postgres schema " + names.Schema)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
