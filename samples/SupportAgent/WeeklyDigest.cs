using System.Text;
using OpenAI.Chat;

namespace SupportAgent;

/// <summary>Builds the weekly digest of resolved tickets for the support team's channel.</summary>
public sealed class WeeklyDigest(string apiKey)
{
    private const string HeadlinePrompt = "Write a one-line, upbeat headline for this week's support digest. No emoji.";

    private readonly ChatClient _client = new("gpt-4.1-mini", apiKey);

    public async Task<string> BuildAsync(IReadOnlyList<string> resolvedTickets, CancellationToken cancellationToken = default)
    {
        var digest = new StringBuilder();
        foreach (string ticket in resolvedTickets)
        {
            // Each entry starts with the week's headline, so a forwarded entry still says which digest it came from.
            ChatCompletion headline = await _client.CompleteChatAsync([new UserChatMessage(HeadlinePrompt)], cancellationToken: cancellationToken);
            digest.AppendLine($"{headline.Content[0].Text.Trim()} | {ticket}");
        }

        return digest.ToString();
    }
}
