using System;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;

namespace TokenLint.Postgres.Tests;

public sealed class SchemaMigratorTests(PostgresSchemaFixture db) : IClassFixture<PostgresSchemaFixture>
{
    [Fact]
    public async Task Creates_the_schema_and_every_table_and_records_the_version()
    {
        var names = db.NewSchema();

        int version = await PostgresSchemaMigrator.MigrateAsync(db.DataSource, names);

        Assert.Equal(PostgresSchemaMigrator.LatestVersion, version);
        Assert.Equal(PostgresSchemaMigrator.LatestVersion, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("schema_version")}"));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("budget_accounts")}"));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("budget_reservations")}"));
    }

    [Fact]
    public async Task Running_again_changes_nothing()
    {
        var names = db.NewSchema();
        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, names);
        await Exec($"INSERT INTO {names.Table("budget_accounts")} (budget, limit_id, account_key, period_start, period_end) VALUES ('b', 'l', '', now(), now())");

        int version = await PostgresSchemaMigrator.MigrateAsync(db.DataSource, names);

        Assert.Equal(PostgresSchemaMigrator.LatestVersion, version);
        Assert.Equal(PostgresSchemaMigrator.LatestVersion, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("schema_version")}"));
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("budget_accounts")}"));
    }

    [Fact]
    public async Task Processes_starting_at_once_migrate_once_without_errors()
    {
        var names = db.NewSchema();
        // Separate pools: each migration holds its own connection, as separate processes would.
        var sources = Enumerable.Range(0, 8).Select(_ => NpgsqlDataSource.Create(db.ConnectionString)).ToArray();
        try
        {
            int[] versions = await Task.WhenAll(sources.Select(s => Task.Run(() => PostgresSchemaMigrator.MigrateAsync(s, names))));

            Assert.All(versions, v => Assert.Equal(PostgresSchemaMigrator.LatestVersion, v));
            Assert.Equal(PostgresSchemaMigrator.LatestVersion, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("schema_version")}"));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Schema_and_prefix_are_quoted_identifiers_so_odd_names_stay_names()
    {
        var plain = db.NewSchema();
        // A quote, a space, upper case and a semicolon: as raw text this would break out of the statement.
        var odd = new PostgresSchemaNames(plain.Schema + "_Odd \"x\"; DROP", tablePrefix: "Pre fix\";");

        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, odd);

        Assert.Equal(1L, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_tables WHERE schemaname = '{odd.Schema.Replace("'", "''")}' AND tablename = 'Pre fix\";budget_accounts'"));
    }

    [Fact]
    public async Task Two_prefixes_in_one_schema_get_separate_tables()
    {
        var first = db.NewSchema("app1_");
        var second = new PostgresSchemaNames(first.Schema, "app2_");

        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, first);
        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, second);

        Assert.Equal(PostgresSchemaMigrator.LatestVersion, await db.ScalarAsync<long>($"SELECT count(*) FROM {first.Table("schema_version")}"));
        Assert.Equal(PostgresSchemaMigrator.LatestVersion, await db.ScalarAsync<long>($"SELECT count(*) FROM {second.Table("schema_version")}"));
    }

    [Fact]
    public async Task Needs_no_superuser()
    {
        Assert.False(await db.ScalarAsync<bool>("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));

        Assert.Equal(PostgresSchemaMigrator.LatestVersion, await PostgresSchemaMigrator.MigrateAsync(db.DataSource, db.NewSchema()));
    }

    [Fact]
    public void Names_past_the_identifier_limit_are_refused_rather_than_cut()
    {
        Assert.Throws<ArgumentException>(() => new PostgresSchemaNames(new string('s', 64)));
        var names = new PostgresSchemaNames("s", new string('p', 50));
        Assert.Throws<ArgumentException>(() => names.Table("budget_reservations"));
        Assert.Equal("\"s\".\"" + new string('p', 50) + "budget\"", names.Table("budget"));
    }

    [Fact]
    public void The_script_names_every_table_with_the_prefix()
    {
        string script = PostgresSchemaMigrator.Script(new PostgresSchemaNames("fleet", "prod_"));

        Assert.Contains("CREATE TABLE \"fleet\".\"prod_budget_accounts\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("\"budget_accounts\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_package_readme_shows_the_sql_the_migrations_run()
    {
        string readme = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "src", "TokenLint.Postgres", "README.md"))
            .ReplaceLineEndings("\n");

        Assert.Contains(PostgresSchemaMigrator.Script().ReplaceLineEndings("\n"), readme, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "TokenLint.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TokenLint.sln not found above " + AppContext.BaseDirectory);
    }

    private async Task Exec(string sql)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
