using OpenAI.Chat;

namespace SupportAgent;

/// <summary>Answers billing questions under the support policy.</summary>
public sealed class BillingAssistant(string apiKey)
{
    private readonly ChatClient _client = new("gpt-4.1-mini", apiKey);

    public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken = default)
    {
        // The date helps with "was I charged this month?" questions.
        var system = new SystemChatMessage(
            $"Today is {DateTime.UtcNow:D}. You are Contoso Outfitters' billing assistant.\n{SupportPolicy.Text}");

        ChatCompletion completion = await _client.CompleteChatAsync(
            [system, new UserChatMessage(question)],
            new ChatCompletionOptions { MaxOutputTokenCount = 400 },
            cancellationToken);
        return completion.Content[0].Text;
    }
}
