using Microsoft.Extensions.AI;
using OpenAI;

namespace SupportAgent;

/// <summary>Answers order questions through Microsoft.Extensions.AI, with tools the model may call.</summary>
public sealed class OrderAssistant
{
    private readonly IChatClient _chat;

    // Tools by name, so that the service can look one up when the model calls it.
    private readonly Dictionary<string, AITool> _tools = new()
    {
        ["track_parcel"] = AIFunctionFactory.Create((string trackingNumber) => $"{trackingNumber}: out for delivery", "track_parcel"),
        ["lookup_order"] = AIFunctionFactory.Create((string orderId) => $"{orderId}: shipped", "lookup_order"),
    };

    // Never cut a customer's question short: let the model call tools as often as it likes.
    public OrderAssistant(string apiKey)
    {
        _chat = new OpenAIClient(apiKey).GetChatClient("gpt-4o-mini").AsIChatClient()
            .AsBuilder()
            .UseFunctionInvocation(configure: invoking => invoking.MaximumIterationsPerRequest = int.MaxValue)
            .Build();
    }

    public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken = default)
    {
        var options = new ChatOptions { Tools = [.. _tools.Values], MaxOutputTokens = 300 };
        ChatResponse response = await _chat.GetResponseAsync(question, options, cancellationToken);
        return response.Text;
    }
}
