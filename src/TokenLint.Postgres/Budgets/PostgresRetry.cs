using System;
using System.Threading.Tasks;
using Npgsql;

namespace TokenLint.Postgres;

/// <summary>Runs a transaction again when PostgreSQL aborted it for a deadlock or a serialization conflict.</summary>
internal static class PostgresRetry
{
    private const int Attempts = 3;

    public static async Task<T> OnConflictAsync<T>(Func<Task<T>> transaction)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction().ConfigureAwait(false);
            }
            catch (PostgresException e) when (attempt < Attempts && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
            }
        }
    }
}
