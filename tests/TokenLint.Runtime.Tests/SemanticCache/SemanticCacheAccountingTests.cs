using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenLint.Runtime.Diagnostics;
using TokenLint.Runtime.Tests.Recorded;
using Xunit;

namespace TokenLint.Runtime.Tests.SemanticCache;

public class SemanticCacheAccountingTests
{
    private const string Question = "How do I cancel my card?";

    [Fact]
    public async Task Hit_HasZeroUsage_AndCarriesTheSavedUsage()
    {
        var kit = new SemanticCacheTestKit();
        var miss = await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));
        var hit = await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));

        Assert.Equal(100, miss.Usage?.InputTokenCount);
        Assert.Equal(0, hit.Usage?.InputTokenCount);
        Assert.Equal(0, hit.Usage?.OutputTokenCount);
        var saved = Assert.IsType<UsageDetails>(hit.AdditionalProperties?[SemanticCacheChatClient.SavedUsageKey]);
        Assert.Equal(100, saved.InputTokenCount);
        Assert.Equal(20, saved.OutputTokenCount);
        Assert.Equal(100, kit.Statistics.InputTokensSaved);
        Assert.Equal(20, kit.Statistics.OutputTokensSaved);
    }

    [Fact]
    public async Task MeteringBelowTheCache_NeverSeesAHit()
    {
        var ledger = new InMemoryTokenLedger();
        var provider = new Fakes.FakeChatClient("gpt-4.1");
        var client = new ChatClientBuilder(provider)
            .UseSemanticCache(new FakeEmbeddingGenerator(), o => o.PartitionKey = (_, _) => "t")
            .UseTokenMetering(ledger)
            .Build();

        await client.GetResponseAsync(Question);
        await client.GetResponseAsync(Question);

        Assert.Equal(1, ledger.Totals.Calls);
        Assert.Equal((100 * 2m + 20 * 8m) / 1_000_000m, ledger.Totals.CostUsd);
    }

    [Fact]
    public async Task MeteringAboveTheCache_BillsAHitNothing()
    {
        var ledger = new InMemoryTokenLedger();
        var provider = new Fakes.FakeChatClient("gpt-4.1");
        var client = new ChatClientBuilder(provider)
            .UseTokenMetering(ledger)
            .UseSemanticCache(new FakeEmbeddingGenerator(), o => o.PartitionKey = (_, _) => "t")
            .Build();

        await client.GetResponseAsync(Question);
        await client.GetResponseAsync(Question);
        await client.GetStreamingResponseAsync(Question).ToListAsync();

        Assert.Equal(1, provider.Calls);
        Assert.Equal((100 * 2m + 20 * 8m) / 1_000_000m, ledger.Totals.CostUsd);
        Assert.Equal(120, ledger.Totals.Tokens.TotalTokens);
        Assert.All(ledger.Records.Skip(1), r => Assert.Equal(0m, r.CostUsd));
    }

    [Fact]
    public async Task Metrics_CountOutcomesAndSavings_WithBoundedTags()
    {
        using var meterFactory = new TestMeterFactory();
        var metrics = new TokenLintMetrics(meterFactory);
        using var requests = new MetricCollector<long>(meterFactory, TokenLintMetrics.MeterName, TokenLintMetrics.SemanticCacheRequestsInstrument);
        using var tokens = new MetricCollector<long>(meterFactory, TokenLintMetrics.MeterName, TokenLintMetrics.SemanticCacheSavedTokensInstrument);
        using var cost = new MetricCollector<double>(meterFactory, TokenLintMetrics.MeterName, TokenLintMetrics.SemanticCacheSavedCostInstrument);
        var kit = new SemanticCacheTestKit(o => o.Metrics = metrics);
        kit.Embeddings.Alike(Question, "How can I cancel my card?");

        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("How can I cancel my card?"));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question), new ChatOptions { ConversationId = "c-123" });

        var outcomes = requests.GetMeasurementSnapshot()
            .Select(m => $"{m.Tags["tokenlint.semantic_cache.outcome"]}/{(m.Tags.TryGetValue("tokenlint.semantic_cache.kind", out var k) ? k : (m.Tags.TryGetValue("tokenlint.semantic_cache.reason", out var r) ? r : null))}")
            .ToArray();
        Assert.Equal(["miss/", "hit/exact", "hit/semantic", "bypass/conversation_id"], outcomes);
        Assert.Equal([100L, 20L, 100L, 20L], tokens.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.All(tokens.GetMeasurementSnapshot(), m => Assert.Equal("gpt-4.1", m.Tags["gen_ai.response.model"]));
        Assert.Equal(2 * 0.00036, cost.GetMeasurementSnapshot().Sum(m => m.Value), 10);
        Assert.DoesNotContain(requests.GetMeasurementSnapshot(), m => m.Tags.Values.Contains("c-123"));
    }

    [Fact]
    public async Task SixtyFourConcurrentIdenticalMisses_AreOneProviderCall()
    {
        var kit = new SemanticCacheTestKit();
        var release = new TaskCompletionSource();
        kit.Provider.Delay = () => release.Task;

        var calls = Enumerable.Range(0, 64).Select(_ => Task.Run(() => kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question)))).ToArray();
        while (kit.Provider.Calls == 0)
        {
            await Task.Delay(1);
        }

        // Let every caller reach the cache before the answer arrives.
        await Task.Delay(50);
        release.SetResult();
        var responses = await Task.WhenAll(calls);

        Assert.Equal(1, kit.Provider.Calls);
        Assert.All(responses, r => Assert.Equal("answer to: " + Question, r.Text));
        Assert.Equal(63, kit.Statistics.Hits);
        Assert.Equal(1, kit.Statistics.Misses);
    }

    [Fact]
    public async Task ConcurrentIdenticalRequests_ShareAProviderError()
    {
        var kit = new SemanticCacheTestKit();
        var release = new TaskCompletionSource();
        kit.Provider.Delay = () => release.Task;
        kit.Provider.Failure = new InvalidOperationException("503");

        var calls = Enumerable.Range(0, 8).Select(_ => Task.Run(() => kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question)))).ToArray();
        while (kit.Provider.Calls == 0)
        {
            await Task.Delay(1);
        }

        await Task.Delay(50);
        release.SetResult();

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => call);
        }

        Assert.Equal(1, kit.Provider.Calls);
    }

    [Theory]
    [InlineData("openai-chat")]
    [InlineData("openai-responses")]
    [InlineData("anthropic")]
    public async Task BypassKey_IsNotSentToTheProvider(string adapter)
    {
        RecordedResponseHandler transport;
        IChatClient provider = adapter switch
        {
            "openai-chat" => RecordedProviders.OpenAIChat("openai-chat-cached.json", "gpt-4.1", out transport),
            "openai-responses" => RecordedProviders.OpenAIResponses("openai-responses-cached-reasoning.json", "gpt-5-mini", out transport),
            _ => RecordedProviders.Anthropic("anthropic-messages-cache-read.json", "claude-sonnet-4-5", out transport),
        };

        await provider.GetResponseAsync(Question, new ChatOptions().WithSemanticCacheBypass());

        Assert.DoesNotContain(SemanticCacheChatOptionsExtensions.BypassKey, transport.LastRequestBody, StringComparison.Ordinal);
    }
}
