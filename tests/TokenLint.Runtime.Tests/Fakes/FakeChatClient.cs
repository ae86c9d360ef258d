using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Tests.Fakes;

/// <summary>
/// A provider stand-in for middleware tests: answers every call with the usage a test gives it, counts the calls it
/// really received, and can fail or stream. Tests of the real adapters' usage shapes use RecordedProviders instead.
/// </summary>
internal sealed class FakeChatClient : IChatClient
{
    private long _calls;

    public FakeChatClient(string? defaultModel = "gpt-4.1", Func<int, UsageDetails?>? usage = null)
    {
        DefaultModel = defaultModel;
        Usage = usage ?? (_ => new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 });
    }

    public string? DefaultModel { get; }

    /// <summary>The usage reported for the call with this 0-based index.</summary>
    public Func<int, UsageDetails?> Usage { get; set; }

    /// <summary>The model id the response claims; null leaves it to the request or default.</summary>
    public string? ResponseModel { get; set; }

    public Exception? Failure { get; set; }

    /// <summary>Awaited inside each call, to hold calls in flight.</summary>
    public Func<Task>? Delay { get; set; }

    public long Calls => Interlocked.Read(ref _calls);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int index = (int)Interlocked.Increment(ref _calls) - 1;
        if (Delay is not null)
        {
            await Delay().ConfigureAwait(false);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            ModelId = ResponseModel,
            ResponseId = "resp-" + index,
            Usage = Usage(index),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int index = (int)Interlocked.Increment(ref _calls) - 1;
        if (Failure is not null)
        {
            throw Failure;
        }

        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "o") { ModelId = ResponseModel, ResponseId = "resp-" + index };
        yield return new ChatResponseUpdate(ChatRole.Assistant, "k") { ResponseId = "resp-" + index };
        if (Usage(index) is { } usage)
        {
            yield return new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [new UsageContent(usage)], ResponseId = "resp-" + index };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("fake", defaultModelId: DefaultModel) : null;

    public void Dispose()
    {
    }
}
