using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Tests.Fakes;

namespace TokenLint.Runtime.Tests;

/// <summary>A budget charges a call what metering records for it, cache writes included, whatever TTL they were priced at.</summary>
public class BudgetMeteringAgreementTests
{
    // claude-opus-4-6: $5 input, $6.25 5-minute write, $10 1-hour write, $0.50 read, $25 output per million tokens.
    // Each call: 500 plain input + 500 read + 2,000 written + 100 output.
    private const decimal AtFiveMinutes = (500 * 5m + 500 * 0.50m + 2_000 * 6.25m + 100 * 25m) / 1_000_000m; // $0.01775
    private const decimal AtOneHour = (500 * 5m + 500 * 0.50m + 2_000 * 10m + 100 * 25m) / 1_000_000m;       // $0.02525

    [Theory]
    [InlineData(CacheWriteTtl.FiveMinutes, 1)] // only the call that asks for 1 hour
    [InlineData(CacheWriteTtl.OneHour, 3)]     // all but the call that asks for 5 minutes
    public async Task TheSameCallsCostTheSameDollarsInTheLedgerAndTheBudget(CacheWriteTtl defaultTtl, int oneHourCalls)
    {
        decimal expected = oneHourCalls * AtOneHour + (4 - oneHourCalls) * AtFiveMinutes;
        var fake = new FakeChatClient("claude-opus-4-6", _ => new UsageDetails
        {
            InputTokenCount = 3_000, // the Anthropic adapter's total: plain + read + written
            CachedInputTokenCount = 500,
            OutputTokenCount = 100,
            AdditionalCounts = new() { [UsageNormalizer.CacheWriteTokensKey] = 2_000 },
        });
        var ledger = new InMemoryTokenLedger();
        var budget = new TokenBudget(estimator: new RequestEstimator(unlimitedOutputTokens: 1_024)) { DefaultCacheWriteTtl = defaultTtl }
            .Limit(BudgetScope.Total, maxDollars: 10m);
        var client = new ChatClientBuilder(fake)
            .UseTokenBudget(budget)
            .UseTokenMetering(ledger, o => o.DefaultCacheWriteTtl = defaultTtl)
            .Build();

        await client.GetResponseAsync([Message(cacheControl: null)]);                                   // the default TTL
        await client.GetResponseAsync([Message("""{"type":"ephemeral","ttl":"1h"}""")]);               // 1 hour, as asked
        await client.GetResponseAsync([Message("""{"type":"ephemeral"}""")]);                          // 5 minutes, as asked
        await foreach (var _ in client.GetStreamingResponseAsync([Message(cacheControl: null)]))       // the default TTL, streamed
        {
        }

        var spent = Assert.Single(budget.Accounts);
        Assert.Equal(4, ledger.Totals.Calls);
        Assert.Equal(expected, ledger.Totals.CostUsd);
        Assert.Equal(ledger.Totals.CostUsd, spent.SpentDollars);
        Assert.Equal(ledger.Totals.Tokens.TotalTokens, spent.SpentTokens);
        Assert.Equal(0m, spent.ReservedDollars);
        Assert.Equal(
            ledger.Records.Select(r => r.Tokens.CacheWrite1hTokens > 0),
            new[] { defaultTtl == CacheWriteTtl.OneHour, true, false, defaultTtl == CacheWriteTtl.OneHour });
    }

    private static ChatMessage Message(string? cacheControl)
    {
        var text = new TextContent("A long system prompt the provider caches.");
        if (cacheControl is not null)
        {
            // Where the Anthropic adapter's WithCacheControl puts it; its value's text is the SDK object's JSON.
            text.AdditionalProperties = new() { ["anthropic:cache_control"] = cacheControl };
        }

        return new ChatMessage(ChatRole.User, new List<AIContent> { text });
    }
}
