using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// <see cref="InMemoryTokenLedger"/>'s questions asked of the table: the same groups, the same ordering (dollars,
/// then tokens, descending) and the same nearest-rank session percentiles, over a period of
/// <c>recorded_at</c> (from <c>since</c> included to <c>until</c> excluded; either may be open).
/// </summary>
internal sealed class UsageRecordQueries(NpgsqlDataSource dataSource, PostgresSchemaNames names)
{
    private const string Sums = """
        count(*),
        coalesce(sum(input_tokens), 0)::bigint, coalesce(sum(cache_read_tokens), 0)::bigint,
        coalesce(sum(cache_write_5m_tokens), 0)::bigint, coalesce(sum(cache_write_1h_tokens), 0)::bigint,
        coalesce(sum(output_tokens), 0)::bigint, coalesce(sum(reasoning_tokens), 0)::bigint,
        coalesce(sum(cost_usd), 0),
        count(*) FILTER (WHERE usage_reported AND cost_usd IS NULL),
        count(*) FILTER (WHERE NOT usage_reported)
        """;

    private readonly string _table = names.Table("usage_records");

    public async Task<ScopeSpend> TotalsAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT {Sums} FROM {_table} r WHERE {Period(since, until)}", since, until);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var group = ReadGroup(reader, 0);
        return new ScopeSpend(group.Calls, group.Tokens, group.CostUsd, group.UnpricedCalls, group.CallsWithoutUsage);
    }

    /// <summary>Each agent on a call's path counts it once (a call of B inside A counts for A and for B).</summary>
    public Task<IReadOnlyList<SpendGroup>> ByAgentAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        GroupAsync($"{_table} r LEFT JOIN LATERAL (SELECT DISTINCT a FROM unnest(r.agents) AS a) path(agent) ON true", "path.agent", since, until, cancellationToken);

    public Task<IReadOnlyList<SpendGroup>> ByInnermostAgentAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        GroupAsync($"{_table} r", "r.agent", since, until, cancellationToken);

    public Task<IReadOnlyList<SpendGroup>> BySessionAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        GroupAsync($"{_table} r", "r.session", since, until, cancellationToken);

    public Task<IReadOnlyList<SpendGroup>> ByModelAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        GroupAsync($"{_table} r", "r.model", since, until, cancellationToken);

    /// <summary>
    /// <c>percentile_disc</c>, the nearest-rank percentile <see cref="InMemoryTokenLedger.SessionCosts"/> takes, so
    /// both answer the same on the same calls (<c>percentile_cont</c> interpolates, and in floating point).
    /// </summary>
    public async Task<SessionCostDistribution> SessionCostsAsync(DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        string sql = $"""
            WITH sessions AS (
                SELECT coalesce(sum(cost_usd), 0) AS cost FROM {_table} r
                WHERE r.session IS NOT NULL AND {Period(since, until)}
                GROUP BY r.session
            ), ranked AS (
                SELECT cost, row_number() OVER (ORDER BY cost DESC) AS rank, count(*) OVER () AS n FROM sessions
            )
            SELECT count(*)::integer,
                percentile_disc(0.50) WITHIN GROUP (ORDER BY cost),
                percentile_disc(0.90) WITHIN GROUP (ORDER BY cost),
                percentile_disc(0.99) WITHIN GROUP (ORDER BY cost),
                max(cost),
                coalesce(sum(cost), 0),
                coalesce(sum(cost) FILTER (WHERE rank <= greatest(1, ceil(n * 0.01))), 0)
            FROM ranked
            """;
        await using var command = Command(sql, since, until);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        int sessions = reader.GetInt32(0);
        if (sessions == 0)
        {
            return new SessionCostDistribution(0, 0m, 0m, 0m, 0m, 0.0);
        }

        decimal total = reader.GetDecimal(5);
        decimal top = reader.GetDecimal(6);
        return new SessionCostDistribution(
            sessions, reader.GetDecimal(1), reader.GetDecimal(2), reader.GetDecimal(3), reader.GetDecimal(4),
            total == 0m ? 0.0 : (double)(top / total));
    }

    private async Task<IReadOnlyList<SpendGroup>> GroupAsync(
        string from, string key, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        // NULL and '' are one group, reported as null, as in the in-memory ledger.
        string sql = $"""
            SELECT nullif(coalesce({key}, ''), ''), {Sums}
            FROM {from}
            WHERE {Period(since, until)}
            GROUP BY 1
            ORDER BY coalesce(sum(cost_usd), 0) DESC,
                coalesce(sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens + output_tokens), 0) DESC, 1 NULLS FIRST
            """;
        await using var command = Command(sql, since, until);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var groups = new List<SpendGroup>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            groups.Add(ReadGroup(reader, 1) with { Key = reader.IsDBNull(0) ? null : reader.GetString(0) });
        }

        return groups;
    }

    private static SpendGroup ReadGroup(NpgsqlDataReader reader, int first) => new(
        null,
        reader.GetInt64(first),
        new TokenCounts
        {
            InputTokens = reader.GetInt64(first + 1),
            CacheReadTokens = reader.GetInt64(first + 2),
            CacheWrite5mTokens = reader.GetInt64(first + 3),
            CacheWrite1hTokens = reader.GetInt64(first + 4),
            OutputTokens = reader.GetInt64(first + 5),
            ReasoningTokens = reader.GetInt64(first + 6),
        },
        reader.GetDecimal(first + 7),
        reader.GetInt64(first + 8),
        reader.GetInt64(first + 9));

    private static string Period(DateTimeOffset? since, DateTimeOffset? until)
    {
        var where = new StringBuilder("true");
        if (since is not null)
        {
            where.Append(" AND r.recorded_at >= @since");
        }

        if (until is not null)
        {
            where.Append(" AND r.recorded_at < @until");
        }

        return where.ToString();
    }

    private NpgsqlCommand Command(string sql, DateTimeOffset? since, DateTimeOffset? until)
    {
        var command = dataSource.CreateCommand(sql);
        if (since is { } from)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime>("since", NpgsqlDbType.TimestampTz) { TypedValue = from.UtcDateTime });
        }

        if (until is { } to)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime>("until", NpgsqlDbType.TimestampTz) { TypedValue = to.UtcDateTime });
        }

        return command;
    }
}
