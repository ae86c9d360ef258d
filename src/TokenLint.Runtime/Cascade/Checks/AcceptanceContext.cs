using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>What a check sees: the request, the tier's answer, and a way to make (paid, metered) calls of its own.</summary>
public sealed class AcceptanceContext
{
    private readonly CascadeRun? _run;

    internal AcceptanceContext(
        IReadOnlyList<ChatMessage> messages, ChatOptions? options, ChatResponse response, CascadeTier tier, int tierIndex, CascadeRun? run)
    {
        Messages = messages;
        Options = options;
        Response = response;
        Tier = tier;
        TierIndex = tierIndex;
        _run = run;
    }

    /// <summary>A context outside any cascade, for testing a check on its own; the checks' calls are made but not recorded.</summary>
    public AcceptanceContext(IReadOnlyList<ChatMessage> messages, ChatOptions? options, ChatResponse response, CascadeTier tier)
        : this(messages, options, response, tier, 0, null)
    {
    }

    /// <summary>The request as the caller sent it.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    public ChatOptions? Options { get; }

    /// <summary>The tier's answer being judged.</summary>
    public ChatResponse Response { get; }

    public CascadeTier Tier { get; }

    /// <summary>0 for the cheapest tier.</summary>
    public int TierIndex { get; }

    /// <summary>
    /// Sends a call a check needs (a sample from the tier, a judge's verdict). The call counts as one of the request's
    /// attempts: its usage travels with the response and is metered like the tiers' calls.
    /// </summary>
    public Task<ChatResponse> CallAsync(
        IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        _run is null
            ? client.GetResponseAsync(messages, options, cancellationToken)
            : _run.CallForCheckAsync(client, Tier.Name, TierIndex, messages, options, cancellationToken);
}
