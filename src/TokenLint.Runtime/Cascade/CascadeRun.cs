using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>One request's way through the cascade: the attempts so far, in call order.</summary>
internal sealed class CascadeRun
{
    private readonly CascadeChatClient _cascade;
    private readonly List<CascadeAttempt> _attempts = new(2);

    public CascadeRun(CascadeChatClient cascade)
    {
        _cascade = cascade;
    }

    public IReadOnlyList<CascadeAttempt> Attempts => _attempts;

    /// <summary>Adds an attempt and returns its position, so its outcome can be set once the checks have run.</summary>
    public int Add(CascadeAttempt attempt)
    {
        lock (_attempts)
        {
            _attempts.Add(attempt);
            return _attempts.Count - 1;
        }
    }

    public void Replace(int index, CascadeAttempt attempt)
    {
        lock (_attempts)
        {
            _attempts[index] = attempt;
        }
    }

    public async Task<ChatResponse> CallForCheckAsync(
        IChatClient client, string tier, int tierIndex, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var (metered, isMetered) = _cascade.ClientForCheck(client, tierIndex);
        var response = await metered.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        Add(new CascadeAttempt
        {
            TierIndex = tierIndex,
            Tier = tier,
            Model = response.ModelId ?? options?.ModelId ?? client.GetService<ChatClientMetadata>()?.DefaultModelId,
            Usage = response.Usage,
            ResponseId = response.ResponseId,
            Outcome = CascadeAttemptOutcome.Check,
            Metered = isMetered,
        });
        return response;
    }

    /// <summary>Marks <paramref name="response"/> as the cascade's answer from <paramref name="tier"/>, with every attempt.</summary>
    /// <remarks>
    /// A copy: a tier may hand out one response object to many requests (a cache), and each request's attempts are its own.
    /// </remarks>
    public ChatResponse Finish(ChatResponse response, string tier)
    {
        var properties = response.AdditionalProperties?.Clone() ?? new AdditionalPropertiesDictionary();
        properties[CascadeResponseExtensions.TierKey] = tier;
        properties[CascadeResponseExtensions.AttemptsKey] = _attempts.ToArray();
        return new ChatResponse(response.Messages)
        {
            ResponseId = response.ResponseId,
            ConversationId = response.ConversationId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            FinishReason = response.FinishReason,
            Usage = response.Usage,
            RawRepresentation = response.RawRepresentation,
            ContinuationToken = response.ContinuationToken,
            AdditionalProperties = properties,
        };
    }

    /// <summary>The update that ends a streamed answer: it carries the tier and the attempts, as <see cref="Finish"/> does.</summary>
    public ChatResponseUpdate FinishUpdate(string tier, string? responseId) => new()
    {
        Role = ChatRole.Assistant,
        ResponseId = responseId,
        AdditionalProperties = new()
        {
            [CascadeResponseExtensions.TierKey] = tier,
            [CascadeResponseExtensions.AttemptsKey] = _attempts.ToArray(),
        },
    };
}
