using Anthropic;
using Anthropic.Models.Messages;

namespace SupportAgent;

/// <summary>Answers policy questions with Claude, caching the policy with Anthropic's prompt cache.</summary>
public sealed class PolicyAssistant(AnthropicClient client)
{
    private const string StyleGuide =
        "Write in plain English. Keep answers under 120 words. Quote the policy section you rely on by its number. " +
        "If the policy does not cover the question, say so and offer to escalate.";

    public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken = default)
    {
        Message reply = await client.Messages.Create(
            new MessageCreateParams
            {
                Model = "claude-sonnet-4-6",
                MaxTokens = 600,
                System = new List<TextBlockParam>
                {
                    new(StyleGuide) { CacheControl = new CacheControlEphemeral() },
                    new($"Conversation started {DateTime.UtcNow:O}"),
                    new(SupportPolicy.Text) { CacheControl = new CacheControlEphemeral { Ttl = Ttl.Ttl1h } },
                },
                Messages = [new UserMessageParam(question)],
            },
            cancellationToken);

        return reply.Content[0].TryPickText(out var text) ? text.Text : "";
    }
}
