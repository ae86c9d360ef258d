using System;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using TokenLint.Runtime.Tests.Fakes;

namespace TokenLint.Runtime.Tests.SemanticCache;

/// <summary>A cache over a counting provider, with deterministic embeddings and a fake clock.</summary>
internal sealed class SemanticCacheTestKit
{
    public SemanticCacheTestKit(Action<SemanticCacheOptions>? configure = null, Func<ChatClientBuilder, ChatClientBuilder>? above = null)
    {
        Shaped = new ShapedChatClient(Provider);
        var builder = new ChatClientBuilder(Shaped);
        builder = above?.Invoke(builder) ?? builder;
        Client = builder.UseSemanticCache(Embeddings, o =>
        {
            o.TimeProvider = Time;
            o.Statistics = Statistics;
            o.PartitionKey = (_, options) => options?.AdditionalProperties?.TryGetValue("tenant", out object? tenant) == true ? tenant as string : null;
            configure?.Invoke(o);
        }).Build();
    }

    public FakeChatClient Provider { get; } = new("gpt-4.1");

    public ShapedChatClient Shaped { get; }

    public FakeEmbeddingGenerator Embeddings { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    public SemanticCacheStatistics Statistics { get; } = new();

    public IChatClient Client { get; }

    public static ChatMessage[] Ask(string question, string system = "You are a support agent.") =>
        [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, question)];
}
