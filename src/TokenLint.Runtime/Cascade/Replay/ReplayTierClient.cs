using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// A recorded tier: answers the row named in the request's options with that row's recorded answer and reports the
/// recorded token counts as its usage. It knows the answers and their counts, never the correctness labels.
/// </summary>
internal sealed class ReplayTierClient : IChatClient
{
    internal const string RowKey = "tokenlint.replay.row";

    private readonly string _model;
    private readonly IReadOnlyList<string> _answers;
    private readonly IReadOnlyList<(int Input, int Output)> _tokens;
    private readonly ChatClientMetadata _metadata;

    public ReplayTierClient(string model, IReadOnlyList<string> answers, IReadOnlyList<(int Input, int Output)> tokens)
    {
        _model = model;
        _answers = answers;
        _tokens = tokens;
        _metadata = new ChatClientMetadata("replay", defaultModelId: model);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int row = Row(options);
        var (input, output) = _tokens[row];
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, _answers[row]))
        {
            ModelId = _model,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata : null;

    public void Dispose()
    {
    }

    private static int Row(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(RowKey, out object? row) == true && row is int index
            ? index
            : throw new InvalidOperationException("A replayed tier was called without a row: only the replay evaluator calls it.");
}
