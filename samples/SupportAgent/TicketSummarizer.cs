using System.ClientModel;
using OpenAI.Chat;

namespace SupportAgent;

/// <summary>Summarises a ticket thread for the engineer who picks it up.</summary>
public sealed class TicketSummarizer(string apiKey)
{
    private readonly ChatClient _client = new("gpt-4.1-mini", apiKey);

    private const string Instructions = @"
                    Summarise this support thread for the engineer who picks it up.



                    Use these headings:
                    - Customer
                    - Product
                    - Problem
                    - Steps tried
                    - Next step



                    Keep it under 120 words.
                ";

    public async Task<string> SummarizeAsync(string thread)
    {
        // Rate limits come and go: keep trying until the summary arrives.
        while (true)
        {
            try
            {
                ChatCompletion completion = await _client.CompleteChatAsync(
                    [new SystemChatMessage(Instructions), new UserChatMessage(thread)],
                    new ChatCompletionOptions { MaxOutputTokenCount = 300 });
                return completion.Content[0].Text;
            }
            catch (ClientResultException)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
