using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// Writes records with one INSERT per batch: each column is sent as an array and unnested, so a batch is one round
/// trip and one statement (atomic on its own). <c>ON CONFLICT (record_id) DO NOTHING</c> makes a batch sent twice
/// insert nothing the second time.
/// </summary>
internal sealed class UsageRecordBatchWriter(NpgsqlDataSource dataSource, PostgresSchemaNames names)
{
    private readonly string _sql = $"""
        INSERT INTO {names.Table("usage_records")} (
            record_id, recorded_at, model, agents, agent, session, task,
            input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,
            cost_usd, usage_reported, response_id, streaming, duration_ms)
        SELECT b.record_id, b.recorded_at, b.model,
            ARRAY(SELECT jsonb_array_elements_text(b.agents::jsonb)), b.agent, b.session, b.task,
            b.input_tokens, b.cache_read_tokens, b.cache_write_5m_tokens, b.cache_write_1h_tokens, b.output_tokens, b.reasoning_tokens,
            b.cost_usd, b.usage_reported, b.response_id, b.streaming, b.duration_ms
        FROM unnest(@record_id, @recorded_at, @model, @agents, @agent, @session, @task,
            @input_tokens, @cache_read_tokens, @cache_write_5m_tokens, @cache_write_1h_tokens, @output_tokens, @reasoning_tokens,
            @cost_usd, @usage_reported, @response_id, @streaming, @duration_ms)
            AS b(record_id, recorded_at, model, agents, agent, session, task,
                input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens,
                cost_usd, usage_reported, response_id, streaming, duration_ms)
        ON CONFLICT (record_id) DO NOTHING
        """;

    /// <summary>Inserts the records; returns how many were new (the rest were already there).</summary>
    public async Task<int> WriteAsync(IReadOnlyList<TokenUsageRecord> records, CancellationToken cancellationToken)
    {
        int n = records.Count;
        var ids = new Guid[n];
        var times = new DateTime[n];
        var models = new string?[n];
        var agentLists = new string[n];
        var agents = new string?[n];
        var sessions = new string?[n];
        var tasks = new string?[n];
        var input = new long[n];
        var cacheRead = new long[n];
        var write5m = new long[n];
        var write1h = new long[n];
        var output = new long[n];
        var reasoning = new long[n];
        var costs = new decimal?[n];
        var reported = new bool[n];
        var responseIds = new string?[n];
        var streaming = new bool[n];
        var durations = new double[n];
        for (int i = 0; i < n; i++)
        {
            var r = records[i];
            ids[i] = r.RecordId ?? throw new ArgumentException("Every record needs a record id before it is written.", nameof(records));
            times[i] = r.Timestamp.UtcDateTime;
            models[i] = r.Model;
            agentLists[i] = JsonSerializer.Serialize(r.Agents, PostgresJsonContext.Default.IReadOnlyListString);
            agents[i] = r.Agent;
            sessions[i] = r.Session;
            tasks[i] = r.Task;
            input[i] = r.Tokens.InputTokens;
            cacheRead[i] = r.Tokens.CacheReadTokens;
            write5m[i] = r.Tokens.CacheWrite5mTokens;
            write1h[i] = r.Tokens.CacheWrite1hTokens;
            output[i] = r.Tokens.OutputTokens;
            reasoning[i] = r.Tokens.ReasoningTokens;
            costs[i] = r.CostUsd;
            reported[i] = r.UsageReported;
            responseIds[i] = r.ResponseId;
            streaming[i] = r.Streaming;
            durations[i] = r.Duration.TotalMilliseconds;
        }

        await using var command = dataSource.CreateCommand(_sql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid[]>("record_id", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = ids });
        p.Add(new NpgsqlParameter<DateTime[]>("recorded_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = times });
        p.Add(Text("model", models));
        p.Add(new NpgsqlParameter<string[]>("agents", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = agentLists });
        p.Add(Text("agent", agents));
        p.Add(Text("session", sessions));
        p.Add(Text("task", tasks));
        p.Add(Bigint("input_tokens", input));
        p.Add(Bigint("cache_read_tokens", cacheRead));
        p.Add(Bigint("cache_write_5m_tokens", write5m));
        p.Add(Bigint("cache_write_1h_tokens", write1h));
        p.Add(Bigint("output_tokens", output));
        p.Add(Bigint("reasoning_tokens", reasoning));
        p.Add(new NpgsqlParameter<decimal?[]>("cost_usd", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { TypedValue = costs });
        p.Add(new NpgsqlParameter<bool[]>("usage_reported", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = reported });
        p.Add(Text("response_id", responseIds));
        p.Add(new NpgsqlParameter<bool[]>("streaming", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { TypedValue = streaming });
        p.Add(new NpgsqlParameter<double[]>("duration_ms", NpgsqlDbType.Array | NpgsqlDbType.Double) { TypedValue = durations });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter<string?[]> Text(string name, string?[] values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values };

    private static NpgsqlParameter<long[]> Bigint(string name, long[] values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = values };
}
