using System;
using Npgsql;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// The budget store's statements. Table names come from <see cref="PostgresSchemaNames"/> (quoted); every value is a
/// parameter. Accounts are keyed by budget name, limit id, scope key and period start.
/// </summary>
internal sealed class PostgresBudgetSql
{
    /// <summary>Period bounds of a limit without a period: its one account spans every date PostgreSQL and .NET share.</summary>
    private static readonly DateTimeOffset s_lifetimeEnd = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    private readonly string _accounts;
    private readonly string _reservations;

    public PostgresBudgetSql(PostgresSchemaNames names)
    {
        _accounts = names.Table("budget_accounts");
        _reservations = names.Table("budget_reservations");
    }

    /// <summary>
    /// For each charge, in the given order: create the account of the period if missing; release its expired leases;
    /// raise its reservations by the estimate if the caps hold, returning (id, charge index).
    /// </summary>
    public NpgsqlBatch Reserve(NpgsqlConnection connection, NpgsqlTransaction transaction, string budget, BudgetCharge[] charges, DateTimeOffset now, BudgetAmount estimate)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        for (int i = 0; i < charges.Length; i++)
        {
            var charge = charges[i];
            var (start, end) = Period(charge.Limit, now);

            var create = Command(batch, $"""
                INSERT INTO {_accounts} (budget, limit_id, account_key, period_start, period_end)
                VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                """);
            AddKey(create, budget, charge, start);
            create.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = end });

            // A lease its process stopped renewing: given back before the cap is checked, so a dead process's calls
            // never hold the cap for longer than a lease.
            var release = Command(batch, $"""
                WITH expired AS (
                    DELETE FROM {_reservations} r USING {_accounts} a
                    WHERE a.budget = $1 AND a.limit_id = $2 AND a.account_key = $3 AND a.period_start = $4
                      AND r.account_id = a.id AND r.expires_at < now()
                    RETURNING r.account_id, r.tokens, r.dollars)
                UPDATE {_accounts} a
                SET reserved_tokens = a.reserved_tokens - e.tokens, reserved_dollars = a.reserved_dollars - e.dollars
                FROM (SELECT account_id, sum(tokens) AS tokens, sum(dollars) AS dollars FROM expired GROUP BY account_id) e
                WHERE a.id = e.account_id
                """);
            AddKey(release, budget, charge, start);

            // The check and the increment in one statement on a locked row: two callers cannot both pass on the same room.
            string tokenCheck = charge.Limit.MaxTokens is null ? "" : " AND $7 > 0 AND a.spent_tokens + a.reserved_tokens + $5 <= $7";
            string dollarCheck = charge.Limit.MaxDollars is null ? "" : " AND $8 > 0 AND a.spent_dollars + a.reserved_dollars + $6 <= $8";
            var raise = Command(batch, $"""
                UPDATE {_accounts} a
                SET reserved_tokens = a.reserved_tokens + $5, reserved_dollars = a.reserved_dollars + $6
                WHERE a.budget = $1 AND a.limit_id = $2 AND a.account_key = $3 AND a.period_start = $4{tokenCheck}{dollarCheck}
                RETURNING a.id, $9
                """);
            AddKey(raise, budget, charge, start);
            raise.Parameters.Add(new NpgsqlParameter<long> { TypedValue = estimate.Tokens });
            raise.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = estimate.Dollars });
            raise.Parameters.Add(new NpgsqlParameter<long> { TypedValue = charge.Limit.MaxTokens ?? 0 });
            raise.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = charge.Limit.MaxDollars ?? 0m });
            raise.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
        }

        return batch;
    }

    /// <summary>One leased reservation row per account, expiring <paramref name="lease"/> after the database's now.</summary>
    public NpgsqlCommand InsertReservations(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, long[] accounts, BudgetAmount estimate, TimeSpan lease)
    {
        var command = new NpgsqlCommand($"""
            INSERT INTO {_reservations} (reservation_id, account_id, tokens, dollars, expires_at)
            SELECT $1, account_id, $3, $4, now() + $5 FROM unnest($2) AS account_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = accounts });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = estimate.Tokens });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = estimate.Dollars });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = lease });
        return command;
    }

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

    /// <summary>Spend of a call sent without a reservation (fail-open), added to the accounts of the periods of <paramref name="now"/>.</summary>
    public NpgsqlBatch AddSpend(NpgsqlConnection connection, string budget, BudgetCharge[] charges, DateTimeOffset now, BudgetAmount spent)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var charge in charges)
        {
            var (start, end) = Period(charge.Limit, now);
            var command = Command(batch, $"""
                INSERT INTO {_accounts} AS a (budget, limit_id, account_key, period_start, period_end, spent_tokens, spent_dollars)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (budget, limit_id, account_key, period_start) DO UPDATE
                SET spent_tokens = a.spent_tokens + $6, spent_dollars = a.spent_dollars + $7
                """);
            AddKey(command, budget, charge, start);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = end });
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

    /// <summary>Spent and reserved of one account, for the message of a refusal.</summary>
    public NpgsqlCommand Account(NpgsqlConnection connection, NpgsqlTransaction transaction, string budget, BudgetCharge charge, DateTimeOffset now)
    {
        var command = new NpgsqlCommand($"""
            SELECT spent_tokens, spent_dollars, reserved_tokens, reserved_dollars FROM {_accounts}
            WHERE budget = $1 AND limit_id = $2 AND account_key = $3 AND period_start = $4
            """, connection, transaction);
        AddKey(command, budget, charge, Period(charge.Limit, now).Start);
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

    private static (DateTimeOffset Start, DateTimeOffset End) Period(BudgetLimit limit, DateTimeOffset now) =>
        limit.Per is TimeSpan per ? (limit.PeriodStart(now), limit.PeriodStart(now) + per) : (DateTimeOffset.MinValue, s_lifetimeEnd);

    private static NpgsqlBatchCommand Command(NpgsqlBatch batch, string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        batch.BatchCommands.Add(command);
        return command;
    }

    private static void AddKey(NpgsqlBatchCommand command, string budget, BudgetCharge charge, DateTimeOffset periodStart)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = budget });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = charge.Limit.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = charge.Key });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = periodStart });
    }

    private static void AddKey(NpgsqlCommand command, string budget, BudgetCharge charge, DateTimeOffset periodStart)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = budget });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = charge.Limit.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = charge.Key });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = periodStart });
    }
}
