using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Tests.SemanticCache;

/// <summary>Reshapes the answers of the provider below (a FakeChatClient, which counts the calls): finish reason, text, tool calls.</summary>
internal sealed class ShapedChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public Func<ChatResponse, ChatResponse> Shape { get; set; } = r => r;

    /// <summary>Answers "answer to: {last message}", so a test can tell which question an answer was for.</summary>
    public static ChatResponse EchoQuestion(ChatResponse response, IEnumerable<ChatMessage> messages)
    {
        response.Messages = [new ChatMessage(ChatRole.Assistant, "answer to: " + messages.Last().Text)];
        response.FinishReason = ChatFinishReason.Stop;
        return response;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Shape(EchoQuestion(await base.GetResponseAsync(messages, options, cancellationToken), messages));

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }
}
