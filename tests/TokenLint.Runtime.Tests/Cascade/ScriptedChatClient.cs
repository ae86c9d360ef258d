using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Tests.Cascade;

/// <summary>
/// A tier stand-in: answers with the texts it is given in turn (the last one repeats), reports a fixed usage under
/// its model, can fail, and keeps the requests it received.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly string[] _answers;
    private int _calls;

    public ScriptedChatClient(string model, params string[] answers)
    {
        Model = model;
        _answers = answers.Length == 0 ? ["ok"] : answers;
    }

    public string Model { get; }

    public UsageDetails Usage { get; set; } = new() { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 };

    public ChatFinishReason? FinishReason { get; set; } = ChatFinishReason.Stop;

    /// <summary>Thrown by every call, before any answer.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Awaited inside each call (streaming: between the two halves of the answer).</summary>
    public Func<CancellationToken, Task>? Delay { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = new();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        string answer = Next(messages, options);
        if (Delay is not null)
        {
            await Delay(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = Model,
            ResponseId = Model + "-" + Calls,
            FinishReason = FinishReason,
            Usage = Copy(Usage),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string answer = Next(messages, options);
        string id = Model + "-" + Calls;
        int half = answer.Length / 2;
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, answer[..half]) { ModelId = Model, ResponseId = id, MessageId = id };
        if (Delay is not null)
        {
            await Delay(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, answer[half..]) { ResponseId = id, MessageId = id, FinishReason = FinishReason };
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, ResponseId = id, MessageId = id, Contents = [new UsageContent(Copy(Usage))] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", defaultModelId: Model) : null;

    public void Dispose()
    {
    }

    private static UsageDetails Copy(UsageDetails usage) => new()
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
    };

    private string Next(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        int call = Interlocked.Increment(ref _calls) - 1;
        Requests.Enqueue((messages.ToList(), options));
        if (Failure is not null)
        {
            throw Failure;
        }

        return _answers[Math.Min(call, _answers.Length - 1)];
    }
}
