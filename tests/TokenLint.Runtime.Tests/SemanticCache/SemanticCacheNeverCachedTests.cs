using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Xunit;

namespace TokenLint.Runtime.Tests.SemanticCache;

public class SemanticCacheNeverCachedTests
{
    private const string Question = "How do I cancel my card?";

    [Fact]
    public async Task OptedOutRequest_IsNeitherServedNorStored()
    {
        var kit = new SemanticCacheTestKit();
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));

        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question), new ChatOptions().WithSemanticCacheBypass());
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("What is my balance?"), new ChatOptions().WithSemanticCacheBypass());
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("What is my balance?"));

        Assert.Equal(4, kit.Provider.Calls);
        Assert.Equal(2, kit.Statistics.Bypasses[SemanticCacheBypassReason.OptedOut]);
        Assert.Equal(0, kit.Statistics.Hits);
    }

    [Fact]
    public async Task BypassSwitch_IsOffUnlessSetToTrue()
    {
        Assert.False(((ChatOptions?)null).BypassesSemanticCache());
        Assert.False(new ChatOptions { AdditionalProperties = new() { [SemanticCacheChatOptionsExtensions.BypassKey] = "true" } }.BypassesSemanticCache());
        Assert.True(new ChatOptions().WithSemanticCacheBypass().BypassesSemanticCache());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task ConversationId_GoesToTheProvider()
    {
        var kit = new SemanticCacheTestKit();
        var options = new ChatOptions { ConversationId = "conv_1" };
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question), options);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question), options);

        Assert.Equal(2, kit.Provider.Calls);
        Assert.Equal(2, kit.Statistics.Bypasses[SemanticCacheBypassReason.ConversationId]);
    }

    private static ChatMessage[] WithImage() =>
        [new ChatMessage(ChatRole.User, [new TextContent("What is in this picture?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")])];

    [Fact]
    public async Task NonTextContent_GoesToTheProvider()
    {
        var kit = new SemanticCacheTestKit();
        await kit.Client.GetResponseAsync(WithImage());
        await kit.Client.GetResponseAsync(WithImage());

        Assert.Equal(2, kit.Provider.Calls);
        Assert.Equal(2, kit.Statistics.Bypasses[SemanticCacheBypassReason.NonTextContent]);
    }

    [Fact]
    public async Task NonTextContent_WhenAllowed_IsServedByExactRepeatOnly()
    {
        var kit = new SemanticCacheTestKit(o => o.AllowNonTextContent = true);
        await kit.Client.GetResponseAsync(WithImage());
        await kit.Client.GetResponseAsync(WithImage());
        await kit.Client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("What is in this picture?"), new DataContent(new byte[] { 9, 9, 9 }, "image/png")])]);

        Assert.Equal(2, kit.Provider.Calls);
        Assert.Equal(1, kit.Statistics.ExactHits);
        Assert.Equal(0, kit.Embeddings.Calls);
    }

    public static TheoryData<string, Func<ChatResponse, ChatResponse>> UncacheableResponses => new()
    {
        { "tool call", r => { r.Messages = [new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "block_card")])]; r.FinishReason = ChatFinishReason.ToolCalls; return r; } },
        { "tool call with stop", r => { r.Messages = [new ChatMessage(ChatRole.Assistant, [new TextContent("Blocking."), new FunctionCallContent("call_1", "block_card")])]; return r; } },
        { "length", r => { r.FinishReason = ChatFinishReason.Length; return r; } },
        { "content filter", r => { r.FinishReason = ChatFinishReason.ContentFilter; return r; } },
        { "too long", r => { r.Messages = [new ChatMessage(ChatRole.Assistant, new string('x', 40_000))]; return r; } },
        { "empty", r => { r.Messages = [new ChatMessage(ChatRole.Assistant, "")]; return r; } },
    };

    [Theory]
    [MemberData(nameof(UncacheableResponses))]
    public async Task UncacheableResponse_IsNotStored(string shape, Func<ChatResponse, ChatResponse> reshape)
    {
        _ = shape;
        var kit = new SemanticCacheTestKit();
        kit.Shaped.Shape = reshape;
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));

        Assert.Equal(2, kit.Provider.Calls);
        Assert.Equal(2, kit.Statistics.NotStored);
    }

    [Fact]
    public async Task ResponseAtTheSizeLimit_IsStored()
    {
        var kit = new SemanticCacheTestKit(o => o.MaxResponseCharacters = 100);
        kit.Shaped.Shape = r => { r.Messages = [new ChatMessage(ChatRole.Assistant, new string('x', 100))]; return r; };
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));
        Assert.Equal(1, kit.Provider.Calls);
    }

    [Fact]
    public async Task ProviderError_IsNotStored_AndTheNextCallGoesToTheProvider()
    {
        var kit = new SemanticCacheTestKit();
        kit.Provider.Failure = new InvalidOperationException("503");
        await Assert.ThrowsAsync<InvalidOperationException>(() => kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question)));

        kit.Provider.Failure = null;
        var response = await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));

        Assert.Equal(2, kit.Provider.Calls);
        Assert.Equal("answer to: " + Question, response.Text);
    }

    [Fact]
    public async Task EmbeddingFailure_GoesToTheProvider_IsLoggedAndCounted()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var embeddings = new FakeEmbeddingGenerator { Failure = new TimeoutException("embedding service down") };
        var statistics = new SemanticCacheStatistics();
        var provider = new Fakes.FakeChatClient();
        var client = new SemanticCacheChatClient(provider, embeddings, new SemanticCacheOptions { PartitionKey = (_, _) => "t", Statistics = statistics }, logger);

        var response = await client.GetResponseAsync("How do I cancel my card?");

        Assert.Equal("ok", response.Text);
        Assert.Equal(1, provider.Calls);
        Assert.Equal(1, statistics.Bypasses[SemanticCacheBypassReason.EmbeddingError]);
        var log = Assert.Single(logger.Collector.GetSnapshot());
        Assert.IsType<TimeoutException>(log.Exception);
    }

    [Fact]
    public async Task StoreFailure_GoesToTheProvider_AndIsCounted()
    {
        var statistics = new SemanticCacheStatistics();
        var provider = new Fakes.FakeChatClient();
        var client = new SemanticCacheChatClient(provider, new FakeEmbeddingGenerator(), new SemanticCacheOptions { Store = new FailingStore(), Statistics = statistics });

        Assert.Equal("ok", (await client.GetResponseAsync("How do I cancel my card?")).Text);
        Assert.Equal("ok", await StreamText(client.GetStreamingResponseAsync("How do I cancel my card?")));

        Assert.Equal(2, provider.Calls);
        Assert.Equal(2, statistics.Bypasses[SemanticCacheBypassReason.StoreError]);
    }

    [Fact]
    public async Task PartitionKeyFailure_GoesToTheProvider()
    {
        var statistics = new SemanticCacheStatistics();
        var provider = new Fakes.FakeChatClient();
        var client = new SemanticCacheChatClient(provider, new FakeEmbeddingGenerator(), new SemanticCacheOptions { PartitionKey = (_, _) => throw new KeyNotFoundException(), Statistics = statistics });

        await client.GetResponseAsync("a");
        await client.GetResponseAsync("a");

        Assert.Equal(2, provider.Calls);
        Assert.Equal(2, statistics.Bypasses[SemanticCacheBypassReason.PartitionKeyError]);
    }

    internal static async Task<string> StreamText(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list.ToChatResponse().Text;
    }

    private sealed class FailingStore : ISemanticCacheStore
    {
        public ValueTask<SemanticCacheEntry?> GetExactAsync(string partition, string exactKey, System.Threading.CancellationToken cancellationToken = default) =>
            throw new TimeoutException("database down");

        public ValueTask<IReadOnlyList<SemanticCacheMatch>> SearchAsync(string partition, ReadOnlyMemory<float> vector, int count, System.Threading.CancellationToken cancellationToken = default) =>
            throw new TimeoutException("database down");

        public ValueTask SetAsync(SemanticCacheEntry entry, System.Threading.CancellationToken cancellationToken = default) =>
            throw new TimeoutException("database down");

        public ValueTask<int> RemoveExpiredAsync(System.Threading.CancellationToken cancellationToken = default) => ValueTask.FromResult(0);
    }
}
