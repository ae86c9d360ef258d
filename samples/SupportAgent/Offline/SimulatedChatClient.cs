using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SupportAgent.Offline;

/// <summary>
/// SIMULATED provider: answers with a placeholder and reports usage the way the OpenAI and Anthropic adapters do
/// (input includes cache reads; cache writes under "CacheCreationInputTokens"). No API is called and nothing is billed;
/// the token counts are rough (4 characters a token) and only there to show what TokenLint.Runtime records.
/// </summary>
public sealed class SimulatedChatClient(string model) : IChatClient
{
    private readonly HashSet<string> _cachedPrefixes = new(StringComparer.Ordinal);
    private int _responses;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        string answer = $"[simulated answer {Interlocked.Increment(ref _responses)} from {options?.ModelId ?? model}]";
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = options?.ModelId ?? model,
            ResponseId = $"sim-{_responses}",
            Usage = Usage(list, answer),
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("simulated", defaultModelId: model) : null;

    public void Dispose()
    {
    }

    /// <summary>
    /// The first part of the prompt (a [CachedPrompt]'s static section, or a plain system prompt) is "cached" from its
    /// second use on, as a provider's prefix cache would be.
    /// </summary>
    private UsageDetails Usage(List<ChatMessage> messages, string answer)
    {
        string prefix = messages.FirstOrDefault()?.Contents.OfType<TextContent>().FirstOrDefault()?.Text ?? "";
        long prefixTokens = prefix.Length / 4;
        long input = messages.Sum(m => (long)m.Text.Length / 4) + 4 * messages.Count;
        bool cached;
        lock (_cachedPrefixes)
        {
            cached = !_cachedPrefixes.Add(prefix);
        }

        var usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = answer.Length / 4 + 40 };
        if (cached)
        {
            usage.CachedInputTokenCount = prefixTokens;
        }
        else if (model.StartsWith("claude", StringComparison.Ordinal))
        {
            usage.AdditionalCounts = new() { ["CacheCreationInputTokens"] = prefixTokens };
        }

        return usage;
    }
}
