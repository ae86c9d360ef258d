using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace SupportAgent;

/// <summary>Answers a question from the help-centre articles, through Semantic Kernel.</summary>
public sealed class KnowledgeBaseAssistant
{
    private const string Articles =
        """
        Refunds: annual plans are refunded pro rata within 30 days of renewal; monthly plans are not refunded.
        Password reset: the reset link expires after 1 hour; accounts lock for 15 minutes after 5 failed sign-ins.
        Invoices: every invoice is under Settings > Billing > History and can be re-sent to another address.
        """;

    private readonly IChatCompletionService _chat;

    public KnowledgeBaseAssistant(string apiKey)
    {
        Kernel kernel = Kernel.CreateBuilder()
            .AddOpenAIChatCompletion(modelId: "gpt-4o-mnii", apiKey: apiKey)
            .Build();

        _chat = kernel.GetRequiredService<IChatCompletionService>();
    }

    public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken = default)
    {
        // The articles go in the system message, ahead of the question, so every question shares the same prefix.
        var history = new ChatHistory($"Answer the customer's question using only these help-centre articles:\n{Articles}");
        history.AddUserMessage(question);

        ChatMessageContent answer = await _chat.GetChatMessageContentAsync(
            history,
            new OpenAIPromptExecutionSettings { MaxTokens = 800 },
            cancellationToken: cancellationToken);

        return answer.Content ?? string.Empty;
    }
}
