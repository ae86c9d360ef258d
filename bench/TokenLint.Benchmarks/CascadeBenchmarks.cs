using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Cascade;

namespace TokenLint.Benchmarks;

/// <summary>
/// What the cascade itself adds to a call, over stub tiers that answer at once and a check that accepts without
/// looking (goal: under 2 µs a call): the cheap tier accepted, and a rejection that escalates to the strong tier.
/// Run: <c>dotnet run -c Release -- --filter '*CascadeBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class CascadeBenchmarks
{
    private static readonly ChatMessage[] Question = [new ChatMessage(ChatRole.User, "How many legs do 3 spiders have?")];

    private IChatClient _cheap = null!;
    private IChatClient _accepting = null!;
    private IChatClient _escalating = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cheap = new StubTier("gpt-4.1-mini");
        var strong = new StubTier("gpt-4.1");
        _accepting = new ChatClientBuilder(_cheap)
            .UseCascade(o => { o.Acceptance = AcceptanceCheck.TextValidator(_ => null); o.EmitMetrics = false; }, strong)
            .Build();
        _escalating = new ChatClientBuilder(_cheap)
            .UseCascade(o => { o.Acceptance = AcceptanceCheck.TextValidator(_ => "no"); o.EmitMetrics = false; }, strong)
            .Build();
    }

    [Benchmark(Baseline = true, Description = "cheap tier alone")]
    public Task<ChatResponse> TierAlone() => _cheap.GetResponseAsync(Question);

    [Benchmark(Description = "cascade, cheap answer accepted")]
    public Task<ChatResponse> Accepted() => _accepting.GetResponseAsync(Question);

    /// <summary>Two tier calls: the overhead over "cheap tier alone" includes the second stub call.</summary>
    [Benchmark(Description = "cascade, escalated to the strong tier")]
    public Task<ChatResponse> Escalated() => _escalating.GetResponseAsync(Question);

    private sealed class StubTier : IChatClient
    {
        private readonly Task<ChatResponse> _response;
        private readonly ChatClientMetadata _metadata;

        public StubTier(string model)
        {
            _metadata = new ChatClientMetadata("stub", defaultModelId: model);
            _response = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "24"))
            {
                ModelId = model,
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 2 },
            });
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => _response;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(ChatClientMetadata) ? _metadata : null;

        public void Dispose()
        {
        }
    }
}
