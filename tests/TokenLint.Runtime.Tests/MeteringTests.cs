using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenLint.Runtime.Diagnostics;
using TokenLint.Runtime.Tests.Fakes;

namespace TokenLint.Runtime.Tests;

public class MeteringTests
{
    private static (IChatClient Client, InMemoryTokenLedger Ledger) Metered(FakeChatClient fake, Action<TokenMeteringOptions>? configure = null)
    {
        var ledger = new InMemoryTokenLedger();
        var client = new ChatClientBuilder(fake).UseTokenMetering(ledger, configure).Build();
        return (client, ledger);
    }

    [Fact]
    public async Task RecordsModelTokensCostAndScope()
    {
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 1_200, CachedInputTokenCount = 1_024, OutputTokenCount = 50 });
        var (client, ledger) = Metered(fake);

        using (TokenScope.Begin(agent: "triage", session: "s-9", task: "route"))
        {
            await client.GetResponseAsync("Is this a refund request?");
        }

        var record = Assert.Single(ledger.Records);
        Assert.Equal("gpt-4.1", record.Model); // the client's default model: the response named none
        Assert.Equal(new TokenCounts { InputTokens = 176, CacheReadTokens = 1_024, OutputTokens = 50 }, record.Tokens);
        Assert.Equal((176 * 2m + 1_024 * 0.50m + 50 * 8m) / 1_000_000m, record.CostUsd);
        Assert.Equal(new[] { "triage" }, record.Agents);
        Assert.Equal(("s-9", "route"), (record.Session, record.Task));
        Assert.Equal("resp-0", record.ResponseId);
        Assert.False(record.Streaming);
    }

    [Fact]
    public async Task ModelId_ResponseWinsOverRequestWinsOverDefault()
    {
        var fake = new FakeChatClient("gpt-4.1");
        var (client, ledger) = Metered(fake);

        await client.GetResponseAsync("a", new ChatOptions { ModelId = "gpt-4.1-mini" });
        fake.ResponseModel = "gpt-4.1-nano-2025-04-14";
        await client.GetResponseAsync("b", new ChatOptions { ModelId = "gpt-4.1-mini" });

        Assert.Equal(new[] { "gpt-4.1-mini", "gpt-4.1-nano-2025-04-14" }, ledger.Records.Select(r => r.Model));
        Assert.All(ledger.Records, r => Assert.True(r.Priced));
    }

    [Fact]
    public async Task UnknownModel_IsMeteredInTokensAndFlaggedUnpriced_NeverPricedAsZero()
    {
        var (client, ledger) = Metered(new FakeChatClient("contoso-deployment-7"));

        await client.GetResponseAsync("hello");

        var record = Assert.Single(ledger.Records);
        Assert.Null(record.CostUsd);
        Assert.False(record.Priced);
        Assert.Equal(120, record.Tokens.TotalTokens);
        Assert.Equal(1, ledger.Totals.UnpricedCalls);
    }

    [Fact]
    public async Task Streaming_IsMeteredWhenTheStreamEnds_FromItsUsageUpdate()
    {
        var fake = new FakeChatClient("claude-haiku-4-5", _ => new UsageDetails
        {
            InputTokenCount = 3_000,
            CachedInputTokenCount = 2_000,
            OutputTokenCount = 40,
            AdditionalCounts = new() { [UsageNormalizer.CacheWriteTokensKey] = 900 },
        });
        var (client, ledger) = Metered(fake);

        var text = "";
        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            text += update.Text;
            Assert.Empty(ledger.Records); // not before the end
        }

        var record = Assert.Single(ledger.Records);
        Assert.Equal("ok", text);
        Assert.True(record.Streaming);
        Assert.Equal(new TokenCounts { InputTokens = 100, CacheReadTokens = 2_000, CacheWrite5mTokens = 900, OutputTokens = 40 }, record.Tokens);
        Assert.Equal((100 * 1m + 2_000 * 0.10m + 900 * 1.25m + 40 * 5m) / 1_000_000m, record.CostUsd);
    }

    [Fact]
    public async Task Streaming_LeftEarly_IsStillMetered_WithoutUsage()
    {
        var (client, ledger) = Metered(new FakeChatClient());

        await foreach (var update in client.GetStreamingResponseAsync("hi"))
        {
            break;
        }

        var record = Assert.Single(ledger.Records);
        Assert.False(record.UsageReported);
        Assert.Null(record.CostUsd);
    }

    [Fact]
    public async Task Streaming_IsAttributedToTheScopeTheCallWasMadeIn_EvenWhenReadAfterIt()
    {
        var (client, ledger) = Metered(new FakeChatClient());
        IAsyncEnumerable<ChatResponseUpdate> stream;
        using (TokenScope.Begin(agent: "triage", session: "s-1"))
        {
            stream = client.GetStreamingResponseAsync("hi"); // returned from an endpoint, read by the framework later
        }

        await foreach (var _ in stream)
        {
        }

        var record = Assert.Single(ledger.Records);
        Assert.Equal(("triage", "s-1"), (record.Agent, record.Session));
    }

    [Fact]
    public async Task NoUsageReported_IsCountedApartFromUnpriced()
    {
        var (client, ledger) = Metered(new FakeChatClient("gpt-4.1", _ => null));

        await client.GetResponseAsync("hi");

        Assert.False(Assert.Single(ledger.Records).UsageReported);
        Assert.Equal((0L, 1L), (ledger.Totals.UnpricedCalls, ledger.Totals.CallsWithoutUsage));
    }

    [Fact]
    public async Task FailedCall_IsNotMetered()
    {
        var fake = new FakeChatClient { Failure = new InvalidOperationException("503") };
        var (client, ledger) = Metered(fake);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("hi"));

        Assert.Empty(ledger.Records);
    }

    [Fact]
    public async Task OneHourCacheControlOnTheRequest_PricesWritesAtTheOneHourRate()
    {
        var fake = new FakeChatClient("claude-opus-4-6", _ => new UsageDetails
        {
            InputTokenCount = 10_000,
            OutputTokenCount = 10,
            AdditionalCounts = new() { [UsageNormalizer.CacheWriteTokensKey] = 10_000 },
        });
        var (client, ledger) = Metered(fake);
        var system = new TextContent("Long stable instructions.").WithCacheControl(Ttl.Ttl1h);
        var fiveMinute = new TextContent("Long stable instructions.").WithCacheControl(Ttl.Ttl5m);

        await client.GetResponseAsync([new ChatMessage(ChatRole.System, [system]), new ChatMessage(ChatRole.User, "q")]);
        await client.GetResponseAsync([new ChatMessage(ChatRole.System, [fiveMinute]), new ChatMessage(ChatRole.User, "q")]);

        Assert.Equal(10_000, ledger.Records[0].Tokens.CacheWrite1hTokens);
        Assert.Equal((10_000 * 10m + 10 * 25m) / 1_000_000m, ledger.Records[0].CostUsd);
        Assert.Equal(10_000, ledger.Records[1].Tokens.CacheWrite5mTokens);
        Assert.Equal((10_000 * 6.25m + 10 * 25m) / 1_000_000m, ledger.Records[1].CostUsd);
    }

    [Fact]
    public async Task AFailingSink_DoesNotFailTheCallOrStarveTheOtherSinks()
    {
        var ledger = new InMemoryTokenLedger();
        var client = new ChatClientBuilder(new FakeChatClient())
            .UseTokenMetering(new ThrowingSink(), o => o.Sinks.Add(ledger))
            .Build();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal("ok", response.Text);
        Assert.Single(ledger.Records);
    }

    [Fact]
    public async Task Metrics_CostAndCacheTokensTaggedByModelAndAgent_NeverBySession()
    {
        using var meterFactory = new TestMeterFactory();
        var metrics = new TokenLintMetrics(meterFactory);
        using var cost = new MetricCollector<double>(meterFactory, TokenLintMetrics.MeterName, TokenLintMetrics.CostInstrument);
        using var cache = new MetricCollector<long>(meterFactory, TokenLintMetrics.MeterName, TokenLintMetrics.CacheTokensInstrument);
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 2_000, CachedInputTokenCount = 1_536, OutputTokenCount = 100 });
        var (client, _) = Metered(fake, o => o.Metrics = metrics);

        using (TokenScope.Begin(agent: "triage", session: "user-123"))
        {
            await client.GetResponseAsync("hi");
        }

        var costMeasurement = Assert.Single(cost.GetMeasurementSnapshot());
        Assert.Equal((double)((464 * 2m + 1_536 * 0.50m + 100 * 8m) / 1_000_000m), costMeasurement.Value, precision: 12);
        Assert.Equal("gpt-4.1", costMeasurement.Tags["gen_ai.response.model"]);
        Assert.Equal("triage", costMeasurement.Tags["tokenlint.agent"]);
        var read = Assert.Single(cache.GetMeasurementSnapshot());
        Assert.Equal(1_536, read.Value);
        Assert.Equal("read", read.Tags["tokenlint.cache.operation"]);
        Assert.DoesNotContain(cost.GetMeasurementSnapshot().Concat<object>(cache.GetMeasurementSnapshot()),
            m => m.ToString()!.Contains("user-123", StringComparison.Ordinal));
        Assert.All(costMeasurement.Tags.Values.Concat(read.Tags.Values), v => Assert.NotEqual("user-123", v));
    }

    [Fact]
    public async Task TenThousandCallsOn64Tasks_LedgerAndScopeSumsEqualWhatTheProviderReported()
    {
        var reported = new UsageDetails[10_000];
        var fake = new FakeChatClient("claude-sonnet-4-5", i =>
        {
            // Varied usage of every kind, so a lost or doubled call changes each sum.
            var usage = new UsageDetails
            {
                InputTokenCount = 500 + (i % 997) + (i % 3 == 0 ? 1_000 : 0) + (i % 5 == 0 ? 700 : 0),
                CachedInputTokenCount = i % 3 == 0 ? 1_000 : 0,
                OutputTokenCount = 1 + (i % 89),
                AdditionalCounts = i % 5 == 0 ? new() { [UsageNormalizer.CacheWriteTokensKey] = 700 } : null,
            };
            reported[i] = usage;
            return usage;
        })
        { Delay = async () => await Task.Yield() };
        var (client, ledger) = Metered(fake);
        var agents = Enumerable.Range(0, 8).Select(i => "agent-" + i).ToArray();
        var scopes = new TokenScope[64];

        await Parallel.ForEachAsync(Enumerable.Range(0, 64), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (task, _) =>
        {
            using var scope = TokenScope.Begin(agent: agents[task % 8], session: "s-" + task);
            scopes[task] = scope;
            for (int call = 0; call < 10_000 / 64 + (task < 10_000 % 64 ? 1 : 0); call++)
            {
                await client.GetResponseAsync("hi");
            }
        });

        Assert.Equal(10_000, fake.Calls);
        var totals = ledger.Totals;
        Assert.Equal(10_000, totals.Calls);
        Assert.Equal(reported.Sum(u => u.InputTokenCount!.Value), totals.Tokens.TotalInputTokens);
        Assert.Equal(reported.Sum(u => u.CachedInputTokenCount!.Value), totals.Tokens.CacheReadTokens);
        Assert.Equal(reported.Sum(u => u.AdditionalCounts?[UsageNormalizer.CacheWriteTokensKey] ?? 0), totals.Tokens.CacheWriteTokens);
        Assert.Equal(reported.Sum(u => u.OutputTokenCount!.Value), totals.Tokens.OutputTokens);
        var price = ModelPriceCatalogTestData.Price("claude-sonnet-4-5");
        Assert.Equal(reported.Sum(u => price.Cost(UsageNormalizer.Normalize(u))), totals.CostUsd);
        Assert.Equal(totals.CostUsd, scopes.Sum(s => s.Spent.CostUsd));
        Assert.Equal(totals.Tokens, scopes.Aggregate(default(TokenCounts), (sum, s) => sum + s.Spent.Tokens));
        Assert.Equal(totals.CostUsd, ledger.ByAgent().Sum(g => g.CostUsd));
    }

    private sealed class ThrowingSink : ITokenUsageSink
    {
        public void Record(TokenUsageRecord record) => throw new System.IO.IOException("disk full");
    }
}

internal static class ModelPriceCatalogTestData
{
    public static Pricing.ModelPrice Price(string model) =>
        Pricing.ModelPriceCatalog.BuiltIn.TryGetPrice(model, out var price) ? price : throw new Xunit.Sdk.XunitException(model);
}

/// <summary>A minimal IMeterFactory, as dependency injection would give, so tests do not share the static meter.</summary>
internal sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    private readonly List<System.Diagnostics.Metrics.Meter> _meters = new();

    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
    {
        var meter = new System.Diagnostics.Metrics.Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
