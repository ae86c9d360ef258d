using System;
using System.Threading.Tasks;
using Npgsql;

namespace TokenLint.Postgres.Tests;

/// <summary>
/// A schema of its own for each test class (<c>IClassFixture&lt;PostgresSchemaFixture&gt;</c>) on the shared test
/// database, dropped when the class is done, so classes running in parallel never see each other's rows. Not created
/// up front: creating it is the migrator's job, which the tests exercise.
/// </summary>
public sealed class PostgresSchemaFixture : IAsyncLifetime
{
    public PostgresSchemaFixture()
    {
        ConnectionString = PostgresTestServer.ConnectionString;
        Names = new PostgresSchemaNames("t_" + Guid.NewGuid().ToString("N")[..16]);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string ConnectionString { get; }

    /// <summary>This class's schema, no table prefix.</summary>
    public PostgresSchemaNames Names { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Another schema for this class, dropped with it (for tests that need a second one).</summary>
    public PostgresSchemaNames NewSchema(string tablePrefix = "") =>
        new(Names.Schema + "_" + Guid.NewGuid().ToString("N")[..8], tablePrefix);

    public async Task InitializeAsync()
    {
        // Fails here, before any test of the class runs, when the server is unreachable.
        await using var connection = await DataSource.OpenConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await using var command = new NpgsqlCommand(
                "SELECT nspname FROM pg_namespace WHERE nspname = @schema OR nspname LIKE @prefix", connection);
            command.Parameters.AddWithValue("schema", Names.Schema);
            command.Parameters.AddWithValue("prefix", Names.Schema + "\\_%");
            var schemas = new System.Collections.Generic.List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    schemas.Add(reader.GetString(0));
                }
            }

            foreach (string schema in schemas)
            {
                await using var drop = new NpgsqlCommand($"DROP SCHEMA {PostgresSchemaNames.Quote(schema)} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }

        await DataSource.DisposeAsync();
    }

    /// <summary>Runs <paramref name="sql"/> and returns its first column of the first row.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
