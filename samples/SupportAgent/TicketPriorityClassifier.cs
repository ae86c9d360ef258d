using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace SupportAgent;

/// <summary>Gives a ticket a priority from 1 (urgent) to 4 (whenever), and records what the classification cost.</summary>
public sealed class TicketPriorityClassifier(string apiKey)
{
    private readonly IChatClient _chat = new ChatClient("gpt-4.1-mini", apiKey).AsIChatClient();

    public async Task<(string Priority, long? Tokens)> ClassifyAsync(string ticket, CancellationToken cancellationToken = default)
    {
        string prompt = $"Give this support ticket a priority from 1 (urgent) to 4 (whenever). Reply with the digit only.\n\n{ticket}";
        string priority = (await _chat.GetResponseAsync(prompt, cancellationToken: cancellationToken)).Text.Trim();

        // The usage goes to the cost report.
        long? tokens = (await _chat.GetResponseAsync(prompt, cancellationToken: cancellationToken)).Usage?.TotalTokenCount;
        return (priority, tokens);
    }
}
