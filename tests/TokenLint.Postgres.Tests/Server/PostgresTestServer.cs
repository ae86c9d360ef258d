using System;
using Npgsql;

namespace TokenLint.Postgres.Tests;

/// <summary>
/// The throwaway server the tests run against, from <c>TOKENLINT_TEST_POSTGRES</c> (set by eng/with-test-postgres.sh).
/// Missing, it fails the tests: a database test that skips quietly on a machine without a server proves nothing.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = "TOKENLINT_TEST_POSTGRES";

    /// <summary>The connection string of the test role (not a superuser) on the database <c>tokenlint_test</c>, which has pgvector.</summary>
    public static string ConnectionString
    {
        get
        {
            string? value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException(
                    $"{Variable} is not set: these tests need a PostgreSQL server. Run them through "
                    + "'bash eng/with-test-postgres.sh dotnet test tests/TokenLint.Postgres.Tests -c Release', which starts a "
                    + "throwaway cluster and stops it afterwards, or start one with 'bash eng/postgres-test-server.sh start' "
                    + "and export the variable it prints.");
            }

            return value;
        }
    }

    /// <summary>The test role's password: what must never show in a log or an exception.</summary>
    public static string Password => new NpgsqlConnectionStringBuilder(ConnectionString).Password
        ?? throw new InvalidOperationException($"{Variable} has no password.");
}
