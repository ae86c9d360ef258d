using Anthropic;
using Anthropic.Models.Messages;

namespace SupportAgent;

/// <summary>Decides whether a ticket should skip the bot and go straight to a human agent.</summary>
public sealed class EscalationCheck(AnthropicClient client)
{
    public async Task<bool> NeedsHumanAsync(string ticket, CancellationToken cancellationToken = default)
    {
        Message reply = await client.Messages.Create(
            new MessageCreateParams
            {
                Model = "claude-opus-4-6",
                MaxTokens = 10,
                System = "Answer yes or no: does this ticket need a human agent?",
                Messages = [new UserMessageParam(ticket)],
            },
            cancellationToken);

        // Anything but a clear "yes" keeps the ticket with the bot; a human can still pick it up from the queue.
        return reply.Content.Count > 0
            && reply.Content[0].TryPickText(out TextBlock? text)
            && text.Text.TrimStart().StartsWith("yes", StringComparison.OrdinalIgnoreCase);
    }
}
