using Microsoft.Extensions.AI;
using OpenAI;

namespace SupportAgent;

/// <summary>Picks the queue a ticket goes to, through Microsoft.Extensions.AI structured output.</summary>
public sealed class TicketRouter : IDisposable
{
    private readonly IChatClient _chat;

    public TicketRouter(string apiKey)
    {
        // Built here, for routing only: no other feature shares this client.
        _chat = new OpenAIClient(apiKey).GetChatClient("gpt-4.1").AsIChatClient();
    }

    public async Task<SupportQueue> RouteAsync(string ticket, CancellationToken cancellationToken = default)
    {
        string prompt = $"Which support queue should handle this ticket?\n\n{ticket}";

        ChatResponse<SupportQueue> response = await _chat.GetResponseAsync<SupportQueue>(
            prompt,
            cancellationToken: cancellationToken);

        // A reply that doesn't parse goes to the general queue rather than failing the whole triage.
        return response.TryGetResult(out SupportQueue queue) ? queue : SupportQueue.Other;
    }

    public void Dispose() => _chat.Dispose();
}
