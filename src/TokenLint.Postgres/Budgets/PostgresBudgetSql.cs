using System;
using Npgsql;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// The budget store's statements. Table names come from <see cref="PostgresSchemaNames"/> (quoted); every value is a
/// parameter. Accounts are keyed by budget name, limit id, scope key and period start, the period taken from the
/// database's clock.
/// </summary>
internal sealed class PostgresBudgetSql
{
    private readonly string _accounts;
    private readonly string _reservations;

    public PostgresBudgetSql(PostgresSchemaNames names)
    {
        _accounts = names.Table("budget_accounts");
        _reservations = names.Table("budget_reservations");
    }

    /// <summary>
    /// One implicit transaction, one round trip: for each charge, in lock order, create the account of the period if
    /// missing, release its expired leases, and raise its reservations by the estimate if the caps hold, writing the
    /// leased reservation row (returning account id, charge index). A last statement divides by zero
    /// (<see cref="Refused"/>) when any charge did not pass, which rolls the whole batch back. Row locks are held only
    /// while the server runs the batch, never across a round trip to the client.
    /// </summary>
    public NpgsqlBatch Reserve(NpgsqlConnection connection, string budget, BudgetCharge[] charges, Guid id, BudgetAmount estimate, TimeSpan lease)
    {
        var batch = new NpgsqlBatch(connection);
        for (int i = 0; i < charges.Length; i++)
        {
            var charge = charges[i];

            var create = Command(batch, $"""
                INSERT INTO {_accounts} (budget, limit_id, account_key, period_start, period_end)
                VALUES ($1, $2, $3, {PeriodStart("$4")}, {PeriodEnd("$4")}) ON CONFLICT DO NOTHING
                """);
            AddKey(create, budget, charge);

            // A lease its process stopped renewing: given back before the cap is checked, so a dead process's calls
            // never hold the cap for longer than a lease.
            var release = Command(batch, $"""
                WITH expired AS (
                    DELETE FROM {_reservations} r USING {_accounts} a
                    WHERE a.budget = $1 AND a.limit_id = $2 AND a.account_key = $3 AND a.period_start = {PeriodStart("$4")}
                      AND r.account_id = a.id AND r.expires_at < now()
                    RETURNING r.account_id, r.tokens, r.dollars)
                UPDATE {_accounts} a
                SET reserved_tokens = a.reserved_tokens - e.tokens, reserved_dollars = a.reserved_dollars - e.dollars
                FROM (SELECT account_id, sum(tokens) AS tokens, sum(dollars) AS dollars FROM expired GROUP BY account_id) e
                WHERE a.id = e.account_id
                """);
            AddKey(release, budget, charge);

            // The check and the increment in one statement on a locked row: two callers cannot both pass on the same room.
            string tokenCheck = charge.Limit.MaxTokens is null ? "" : " AND $7 > 0 AND a.spent_tokens + a.reserved_tokens + $5 <= $7";
            string dollarCheck = charge.Limit.MaxDollars is null ? "" : " AND $8 > 0 AND a.spent_dollars + a.reserved_dollars + $6 <= $8";
            var raise = Command(batch, $"""
                WITH raised AS (
                    UPDATE {_accounts} a
                    SET reserved_tokens = a.reserved_tokens + $5, reserved_dollars = a.reserved_dollars + $6
                    WHERE a.budget = $1 AND a.limit_id = $2 AND a.account_key = $3 AND a.period_start = {PeriodStart("$4")}{tokenCheck}{dollarCheck}
                    RETURNING a.id)
                INSERT INTO {_reservations} (reservation_id, account_id, tokens, dollars, expires_at)
                SELECT $10, id, $5, $6, now() + $11 FROM raised
                RETURNING account_id, $9
                """);
            AddKey(raise, budget, charge);
            raise.Parameters.Add(new NpgsqlParameter<long> { TypedValue = estimate.Tokens });
            raise.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = estimate.Dollars });
            raise.Parameters.Add(new NpgsqlParameter<long> { TypedValue = charge.Limit.MaxTokens ?? 0 });
            raise.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = charge.Limit.MaxDollars ?? 0m });
            raise.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
            raise.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            raise.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = lease });
        }

        var all = Command(batch, $"SELECT 1 / (count(*) / $2)::integer FROM {_reservations} WHERE reservation_id = $1");
        all.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        all.Parameters.Add(new NpgsqlParameter<long> { TypedValue = charges.Length });
        return batch;
    }

    /// <summary>Whether a reserve batch failed because a cap did not hold (its last statement divided by zero).</summary>
    public static bool Refused(PostgresException e) => e.SqlState == PostgresErrorCodes.DivisionByZero;

    /// <summary>
    /// One implicit transaction: for each account (in lock order), the reservation row is removed and the account's
    /// reservations lowered by what it still held (nothing when its lease was released), and the spend added.
    /// </summary>
    public NpgsqlBatch Settle(NpgsqlConnection connection, Guid id, long[] accounts, BudgetAmount spent)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (long account in accounts)
        {
            var command = Command(batch, $"""
                WITH released AS (DELETE FROM {_reservations} WHERE reservation_id = $1 AND account_id = $2 RETURNING tokens, dollars)
                UPDATE {_accounts}
                SET spent_tokens = spent_tokens + $3, spent_dollars = spent_dollars + $4,
                    reserved_tokens = reserved_tokens - coalesce((SELECT tokens FROM released), 0),
                    reserved_dollars = reserved_dollars - coalesce((SELECT dollars FROM released), 0)
                WHERE id = $2
                """);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = account });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = spent.Tokens });
            command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = spent.Dollars });
        }

        return batch;
    }

    /// <summary>Spend of a call sent without a reservation (fail-open), added to the current period's accounts.</summary>
    public NpgsqlBatch AddSpend(NpgsqlConnection connection, string budget, BudgetCharge[] charges, BudgetAmount spent)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var charge in charges)
        {
            var command = Command(batch, $"""
                INSERT INTO {_accounts} AS a (budget, limit_id, account_key, period_start, period_end, spent_tokens, spent_dollars)
                VALUES ($1, $2, $3, {PeriodStart("$4")}, {PeriodEnd("$4")}, $5, $6)
                ON CONFLICT (budget, limit_id, account_key, period_start) DO UPDATE
                SET spent_tokens = a.spent_tokens + $5, spent_dollars = a.spent_dollars + $6
                """);
            AddKey(command, budget, charge);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = spent.Tokens });
            command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = spent.Dollars });
        }

        return batch;
    }

    public NpgsqlCommand Renew(NpgsqlConnection connection, Guid id, TimeSpan lease)
    {
        var command = new NpgsqlCommand($"UPDATE {_reservations} SET expires_at = now() + $2 WHERE reservation_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = lease });
        return command;
    }

    /// <summary>Spent and reserved of one account in its current period, for the message of a refusal.</summary>
    public NpgsqlCommand Account(NpgsqlConnection connection, string budget, BudgetCharge charge)
    {
        var command = new NpgsqlCommand($"""
            SELECT spent_tokens, spent_dollars, reserved_tokens, reserved_dollars FROM {_accounts}
            WHERE budget = $1 AND limit_id = $2 AND account_key = $3 AND period_start = {PeriodStart("$4")}
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = budget });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = charge.Limit.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = charge.Key });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PeriodMicroseconds(charge.Limit) });
        return command;
    }

    /// <summary>The accounts of the periods the database's clock is in.</summary>
    public NpgsqlCommand CurrentAccounts(NpgsqlConnection connection, string budget)
    {
        var command = new NpgsqlCommand($"""
            SELECT limit_id, account_key, spent_tokens, spent_dollars, reserved_tokens, reserved_dollars FROM {_accounts}
            WHERE budget = $1 AND period_start <= now() AND period_end > now()
            ORDER BY limit_id, account_key
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = budget });
        return command;
    }

    /// <summary>
    /// The start of the period the database's clock is in, for a period of <paramref name="micros"/> microseconds (0: the
    /// life of the budget): the same UTC alignment as <see cref="BudgetLimit.PeriodStart"/>, periods laid end to end
    /// from 0001-01-01 00:00 UTC, so every process changes period at the same instant whatever its own clock says.
    /// </summary>
    /// <remarks>
    /// Counted in numeric from the Unix epoch, and only the result (about 1.8e15 microseconds, well inside a double's
    /// exact integers) is turned into an interval of microseconds: no day arithmetic, so no session time zone or DST.
    /// </remarks>
    private static string PeriodStart(string micros) =>
        $"(CASE WHEN {micros} = 0 THEN timestamptz '0001-01-01 00:00:00+00' ELSE to_timestamp(0) + "
        + $"(floor((extract(epoch FROM now()) * 1000000 + {UnixEpochMicroseconds}) / {micros}) * {micros} - {UnixEpochMicroseconds})::float8 * interval '1 microsecond' END)";

    private static string PeriodEnd(string micros) =>
        $"(CASE WHEN {micros} = 0 THEN timestamptz '9999-12-31 00:00:00+00' ELSE {PeriodStart(micros)} + {micros}::float8 * interval '1 microsecond' END)";

    /// <summary>0001-01-01 to 1970-01-01 in microseconds: periods are aligned to the former, PostgreSQL counts from the latter.</summary>
    private const long UnixEpochMicroseconds = 62_135_596_800_000_000;

    private static long PeriodMicroseconds(BudgetLimit limit) => limit.Per is TimeSpan per ? Math.Max(1, per.Ticks / 10) : 0;

    private static NpgsqlBatchCommand Command(NpgsqlBatch batch, string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        return command;
    }

    private static void AddKey(NpgsqlBatchCommand command, string budget, BudgetCharge charge)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = budget });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = charge.Limit.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = charge.Key });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PeriodMicroseconds(charge.Limit) });
    }
}
