using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Postgres.TestWorker;

/// <summary>A provider that reports fixed usage, or never answers (to be killed mid-call).</summary>
internal sealed class StubProvider(UsageDetails usage, bool hang = false) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (hang)
        {
            Console.WriteLine("in-call");
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        await Task.Yield();
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = usage };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("stub", defaultModelId: "gpt-4.1") : null;

    public void Dispose()
    {
    }
}
