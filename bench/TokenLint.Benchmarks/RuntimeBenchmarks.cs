using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using TokenLint.Runtime;

namespace TokenLint.Benchmarks;

/// <summary>
/// What TokenLint.Runtime adds to a call, over a provider that answers at once with a prepared response: metering
/// into the in-memory ledger (goal: under 1 µs and 500 bytes a call), the whole guarded pipeline, the budget's
/// pre-flight estimate of a 1,000-token prompt, and one record appended to the JSON Lines ledger.
/// Run: <c>dotnet run -c Release -- --filter '*RuntimeBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class RuntimeBenchmarks
{
    private static readonly ChatMessage[] Question = [new ChatMessage(ChatRole.User, "Is order A-1002 refundable?")];
    private static readonly ChatOptions Options = new() { ModelId = "gpt-4.1-mini", MaxOutputTokens = 50 };

    private IChatClient _provider = null!;
    private IChatClient _metered = null!;
    private IChatClient _guarded = null!;
    private ChatMessage[] _thousandTokenPrompt = null!;
    private RequestEstimator _estimator = null!;
    private JsonLinesTokenLedger _fileLedger = null!;
    private TokenUsageRecord _record = null!;
    private string _ledgerPath = null!;
    private int _question;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new NoOpChatClient();
        _metered = new ChatClientBuilder(_provider).UseTokenMetering(new InMemoryTokenLedger(capacity: 10_000)).Build();
        _guarded = new ChatClientBuilder(_provider)
            .UseLoopGuard(o => o.MaxIdenticalRequests = int.MaxValue)
            .UseTokenBudget(b => b.Limit(BudgetScope.Total, maxDollars: 1_000_000m))
            .UseTokenMetering(new InMemoryTokenLedger(capacity: 10_000))
            .Build();

        // ~1,000 o200k tokens of prose.
        string paragraph = "Refunds for annual plans are prorated from the day the request is received, and the remaining months are returned to the original payment method within five to ten business days. ";
        _thousandTokenPrompt = [new ChatMessage(ChatRole.System, string.Concat(Enumerable.Repeat(paragraph, 28))), Question[0]];
        _estimator = new RequestEstimator();
        _estimator.EstimateInputTokens(_thousandTokenPrompt, null, null); // load the tokenizer outside the measurement

        _ledgerPath = Path.Combine(Path.GetTempPath(), $"tokenlint-bench-{Guid.NewGuid():N}.jsonl");
        _fileLedger = new JsonLinesTokenLedger(_ledgerPath);
        _record = new TokenUsageRecord
        {
            Timestamp = DateTimeOffset.UtcNow,
            Model = "claude-sonnet-4-5",
            Agents = ["support-desk", "faq"],
            Session = "ticket-1",
            Tokens = new TokenCounts { InputTokens = 21, CacheWrite5mTokens = 1_893, OutputTokens = 312 },
            CostUsd = 0.01184175m,
            ResponseId = "msg_01XFDUDYJgAACzvnptvVoYEL",
            Duration = TimeSpan.FromMilliseconds(812.4),
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fileLedger.Dispose();
        File.Delete(_ledgerPath);
    }

    [Benchmark(Baseline = true, Description = "provider alone")]
    public Task<ChatResponse> ProviderAlone() => _provider.GetResponseAsync(Question, Options);

    [Benchmark(Description = "metering, in-memory ledger")]
    public Task<ChatResponse> Metering() => _metered.GetResponseAsync(Question, Options);

    /// <summary>Loop guard (SHA-256 of the request), budget (pre-flight estimate, reserve, settle) and metering.</summary>
    [Benchmark(Description = "loop guard + budget + metering")]
    public Task<ChatResponse> GuardedPipeline()
    {
        // A different request each time, so the loop guard's table behaves as in a service.
        var question = new[] { new ChatMessage(ChatRole.User, "Is order A-" + Interlocked.Increment(ref _question) + " refundable?") };
        return _guarded.GetResponseAsync(question, Options);
    }

    [Benchmark(Description = "budget pre-flight, 1,000-token prompt")]
    public long PreflightEstimate() => _estimator.EstimateInputTokens(_thousandTokenPrompt, Options, null);

    [Benchmark(Description = "JSON Lines ledger, one record")]
    public void JsonLinesRecord() => _fileLedger.Record(_record);

    /// <summary>Answers at once with one prepared response, so only the middleware is measured.</summary>
    internal sealed class NoOpChatClient : IChatClient
    {
        private readonly Task<ChatResponse> _response = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "yes"))
        {
            ModelId = "gpt-4.1-mini",
            Usage = new UsageDetails { InputTokenCount = 1_200, CachedInputTokenCount = 1_024, OutputTokenCount = 2 },
        });

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => _response;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
