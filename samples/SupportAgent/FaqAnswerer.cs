using Microsoft.Extensions.AI;

namespace SupportAgent;

/// <summary>Answers policy questions with the generated, cache-friendly layout of <see cref="FaqPrompt"/>.</summary>
public sealed class FaqAnswerer(IChatClient client)
{
    public async Task<string> AnswerAsync(string question, string customerTier, CancellationToken cancellationToken = default)
    {
        var prompt = new FaqPrompt { Question = question, CustomerTier = customerTier, AskedAt = DateTimeOffset.UtcNow };
        ChatResponse response = await client.GetResponseAsync(prompt.ToChatMessages(), cancellationToken: cancellationToken);
        return response.Text;
    }

    /// <summary>What a reviewer sees change when the instructions change: the cached prefix's size and hash.</summary>
    public static string CachedPrefixSummary => $"{FaqPrompt.StaticPrefixTokenCount} tokens, hash {FaqPrompt.StaticPrefixHash[..12]}";
}
