using System.Text.Json;
using OpenAI.Chat;

namespace SupportAgent;

/// <summary>Answers order questions, letting the model look orders up through a tool.</summary>
public sealed class ToolLoopAgent(string apiKey)
{
    // Each step is one more model call carrying the whole conversation so far: cap them.
    private const int MaxSteps = 8;

    // A stand-in for the order service, so the sample runs without one.
    private static readonly Dictionary<string, string> Orders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["A-1001"] = "Shipped on 2026-11-20 by UPS, tracking 1Z999AA10123456784, due 2026-11-24.",
        ["A-1002"] = "Payment failed on 2026-11-21; the order is on hold until the card is updated.",
    };

    private static readonly ChatTool LookupOrder = ChatTool.CreateFunctionTool(
        functionName: "lookup_order",
        functionDescription: "Gets the status of a customer order by its order id.",
        functionParameters: BinaryData.FromBytes(
            """
            {
              "type": "object",
              "properties": { "order_id": { "type": "string", "description": "The order id, for example A-1001." } },
              "required": ["order_id"],
              "additionalProperties": false
            }
            """u8.ToArray()));

    // An economy model is enough to pick a tool and relay its result.
    private readonly ChatClient _client = new("gpt-4o-mini", apiKey);

    public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> messages =
        [
            new SystemChatMessage("You help customers with their orders. Use lookup_order to check an order before answering."),
            new UserChatMessage(question),
        ];
        var options = new ChatCompletionOptions { Tools = { LookupOrder } };

        ChatCompletion completion = await _client.CompleteChatAsync(messages, options, cancellationToken);

        for (var step = 0; step < MaxSteps && completion.FinishReason == ChatFinishReason.ToolCalls; step++)
        {
            // The assistant turn with its tool calls must precede the tool results, or the API rejects the request.
            messages.Add(new AssistantChatMessage(completion));
            foreach (ChatToolCall call in completion.ToolCalls)
            {
                string result = RunTool(call);
                messages.Add(new ToolChatMessage(call.Id, result));
            }

            completion = await _client.CompleteChatAsync(messages, options, cancellationToken);
        }

        return completion.FinishReason == ChatFinishReason.ToolCalls
            ? "Sorry, I couldn't finish looking that up. A support agent will follow up."
            : completion.Content[0].Text;
    }

    private static string RunTool(ChatToolCall call)
    {
        if (call.FunctionName != "lookup_order")
        {
            return $"Unknown tool '{call.FunctionName}'.";
        }

        using JsonDocument arguments = JsonDocument.Parse(call.FunctionArguments.ToMemory());
        string orderId = arguments.RootElement.GetProperty("order_id").GetString() ?? string.Empty;
        return Orders.TryGetValue(orderId, out string? status) ? status : $"No order with id '{orderId}'.";
    }
}
