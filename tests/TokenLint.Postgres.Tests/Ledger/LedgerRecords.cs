using System;
using System.Collections.Generic;
using System.Linq;
using TokenLint.Runtime;

namespace TokenLint.Postgres.Tests;

/// <summary>Varied usage records, as metering makes them: every kind of token, costs with many decimals, nested agents.</summary>
internal static class LedgerRecords
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_models = ["claude-sonnet-4-5", "gpt-4.1", "gpt-4.1-mini", "contoso-unpriced"];

    public static TokenUsageRecord Make(int i) => new()
    {
        RecordId = Guid.NewGuid(),
        Timestamp = Start.AddMinutes(i),
        Model = s_models[i % s_models.Length],
        Agents = (i % 5) switch
        {
            0 => Array.Empty<string>(),
            1 => ["planner"],
            2 => ["planner", "billing"],
            3 => ["support", "billing"],
            _ => ["support"],
        },
        Session = i % 7 == 0 ? null : "s-" + (i % 53),
        Task = "t-" + (i % 3),
        Tokens = new TokenCounts
        {
            InputTokens = 100 + i % 997,
            CacheReadTokens = i % 3 == 0 ? 1_024 : 0,
            CacheWrite5mTokens = i % 5 == 0 ? 700 : 0,
            CacheWrite1hTokens = i % 11 == 0 ? 300 : 0,
            OutputTokens = 1 + i % 89,
            ReasoningTokens = i % 13,
        },
        // Unpriced for the unknown model; no usage at all for every 17th call.
        CostUsd = i % 17 == 0 || i % s_models.Length == 3 ? null : 0.000001234567m * (1 + i % 1_009),
        UsageReported = i % 17 != 0,
        ResponseId = i % 4 == 0 ? null : "resp-" + i,
        Streaming = i % 2 == 0,
        Duration = TimeSpan.FromMilliseconds(10.5 + i % 100),
    };

    public static TokenUsageRecord[] Many(int count, int first = 0) => Enumerable.Range(first, count).Select(Make).ToArray();

    public static InMemoryTokenLedger InMemory(IEnumerable<TokenUsageRecord> records)
    {
        var ledger = new InMemoryTokenLedger(1_000_000);
        foreach (var record in records)
        {
            ledger.Record(record);
        }

        return ledger;
    }
}
