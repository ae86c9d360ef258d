using System.Runtime.CompilerServices;
using Anthropic;
using Anthropic.Models.Messages;

namespace SupportAgent;

/// <summary>Drafts the reply an agent reviews before sending; the one call here that needs a strong model.</summary>
public sealed class ReplyDrafter(AnthropicClient client)
{
    private const string Instructions =
        "You are a senior customer-support agent. Write a detailed, empathetic reply to the customer. " +
        "Work through the problem step by step: acknowledge the frustration, explain what happened, " +
        "list the concrete next steps and what the customer can expect, and close warmly.";

    // Streams the draft so the agent watching the console sees it as it is written.
    public async IAsyncEnumerable<string> DraftAsync(
        string ticket,
        string knowledgeBaseNotes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerable<RawMessageStreamEvent> events = client.Messages.CreateStreaming(
            new MessageCreateParams
            {
                Model = "claude-opus-4-6",
                MaxTokens = 4000,
                System = Instructions,
                Messages = [new UserMessageParam($"Ticket:\n{ticket}\n\nRelevant knowledge-base notes:\n{knowledgeBaseNotes}")],
            },
            cancellationToken);

        await foreach (RawMessageStreamEvent streamEvent in events)
        {
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var text))
            {
                yield return text.Text;
            }
        }
    }
}
