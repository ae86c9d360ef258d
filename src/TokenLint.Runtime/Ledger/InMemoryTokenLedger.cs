using System;
using System.Collections.Generic;
using System.Linq;

namespace TokenLint.Runtime;

/// <summary>
/// Keeps the most recent metered calls in memory (a fixed-size ring, so a long-running service cannot grow without
/// bound) and answers questions about them: spend by agent, session or model, and how spend spreads over sessions.
/// <see cref="Totals"/> counts every call ever recorded, including those the ring has since dropped.
/// </summary>
public sealed class InMemoryTokenLedger : ITokenUsageSink
{
    private readonly object _gate = new();
    private readonly TokenUsageRecord?[] _ring;
    private int _next;
    private int _count;
    private long _totalCalls;
    private long _unpricedCalls;
    private long _callsWithoutUsage;
    private TokenCounts _totalTokens;
    private decimal _totalCost;

    /// <param name="capacity">How many recent calls to keep for queries (default 100,000, roughly 20 MB).</param>
    public InMemoryTokenLedger(int capacity = 100_000)
    {
        if (capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The ledger must keep at least one record.");
        }

        _ring = new TokenUsageRecord?[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Every call recorded since the ledger was created, dropped ones included.</summary>
    public ScopeSpend Totals
    {
        get
        {
            lock (_gate)
            {
                return new ScopeSpend(_totalCalls, _totalTokens, _totalCost, _unpricedCalls, _callsWithoutUsage);
            }
        }
    }

    public void Record(TokenUsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _ring[_next] = record;
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length)
            {
                _count++;
            }

            _totalCalls++;
            _totalTokens += record.Tokens;
            _totalCost += record.CostUsd ?? 0m;
            if (!record.UsageReported)
            {
                _callsWithoutUsage++;
            }
            else if (record.CostUsd is null)
            {
                _unpricedCalls++;
            }
        }
    }

    /// <summary>The calls still held, oldest first.</summary>
    public IReadOnlyList<TokenUsageRecord> Records
    {
        get
        {
            lock (_gate)
            {
                var records = new TokenUsageRecord[_count];
                int start = (_next - _count + _ring.Length) % _ring.Length;
                for (int i = 0; i < _count; i++)
                {
                    records[i] = _ring[(start + i) % _ring.Length]!;
                }

                return records;
            }
        }
    }

    /// <summary>
    /// Spend per agent. A call made by agent B inside agent A counts for both A and B (A's figure is everything done on
    /// its behalf), so the groups may add up to more than <see cref="Totals"/>; each call counts once per agent.
    /// </summary>
    public IReadOnlyList<SpendGroup> ByAgent() =>
        Group(Records.SelectMany(r => r.Agents.Count == 0 ? new[] { ((string?)null, r) } : r.Agents.Select(a => ((string?)a, r))));

    /// <summary>Spend per innermost agent: the groups add up to the total.</summary>
    public IReadOnlyList<SpendGroup> ByInnermostAgent() => Group(Records.Select(r => (r.Agent, r)));

    public IReadOnlyList<SpendGroup> BySession() => Group(Records.Select(r => (r.Session, r)));

    public IReadOnlyList<SpendGroup> ByModel() => Group(Records.Select(r => (r.Model, r)));

    /// <summary>
    /// How dollar spend spreads over sessions (calls outside any session are left out): the median, p90 and p99
    /// session cost and the share of all session spend taken by the costliest 1% of sessions. A fat tail (a few
    /// sessions spending most of the money) usually means a loop.
    /// </summary>
    public SessionCostDistribution SessionCosts()
    {
        var costs = Records
            .Where(r => r.Session is not null)
            .GroupBy(r => r.Session!, StringComparer.Ordinal)
            .Select(g => g.Sum(r => r.CostUsd ?? 0m))
            .OrderBy(c => c)
            .ToArray();
        if (costs.Length == 0)
        {
            return new SessionCostDistribution(0, 0m, 0m, 0m, 0m, 0.0);
        }

        decimal total = costs.Sum();
        int top = Math.Max(1, (int)Math.Ceiling(costs.Length * 0.01));
        decimal topSpend = costs.Skip(costs.Length - top).Sum();
        return new SessionCostDistribution(
            costs.Length,
            Percentile(costs, 0.50),
            Percentile(costs, 0.90),
            Percentile(costs, 0.99),
            costs[costs.Length - 1],
            total == 0m ? 0.0 : (double)(topSpend / total));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static decimal Percentile(decimal[] sorted, double p)
    {
        int rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static IReadOnlyList<SpendGroup> Group(IEnumerable<(string? Key, TokenUsageRecord Record)> pairs) =>
        pairs
            .GroupBy(p => p.Key ?? "", StringComparer.Ordinal)
            .Select(g => new SpendGroup(
                g.Key.Length == 0 ? null : g.Key,
                g.Count(),
                g.Aggregate(default(TokenCounts), (sum, p) => sum + p.Record.Tokens),
                g.Sum(p => p.Record.CostUsd ?? 0m),
                g.Count(p => p.Record.UsageReported && !p.Record.Priced),
                g.Count(p => !p.Record.UsageReported)))
            .OrderByDescending(s => s.CostUsd)
            .ThenByDescending(s => s.Tokens.TotalTokens)
            .ToArray();
}

/// <summary>One group of a ledger query; <see cref="Key"/> is null for calls without that attribute.</summary>
public sealed record SpendGroup(string? Key, long Calls, TokenCounts Tokens, decimal CostUsd, long UnpricedCalls, long CallsWithoutUsage);

/// <summary>Session costs in dollars (nearest-rank percentiles) and the share of spend in the costliest 1% of sessions.</summary>
public sealed record SessionCostDistribution(int Sessions, decimal P50, decimal P90, decimal P99, decimal Max, double TopOnePercentShare);
