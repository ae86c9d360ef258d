using OpenAI.Chat;

namespace SupportAgent;

/// <summary>Tags each incoming ticket as positive, neutral or negative so angry customers are seen first.</summary>
public sealed class TicketSentimentClassifier(string apiKey)
{
    // This client serves the classifier alone, so changing its model affects no other call.
    private readonly ChatClient _client = new("gpt-4o", apiKey);

    public async Task<string> ClassifyAsync(string text, CancellationToken cancellationToken = default)
    {
        ChatCompletion completion = await _client.CompleteChatAsync(
            [
                new SystemChatMessage("Classify the sentiment of the customer message. Reply with exactly one word: positive, neutral or negative."),
                new UserChatMessage(text),
            ],
            new ChatCompletionOptions { MaxOutputTokenCount = 5 },
            cancellationToken);

        return completion.Content[0].Text.Trim().ToLowerInvariant();
    }
}
