using System.Text.Json;
using OpenAI.Chat;

namespace SupportAgent;

/// <summary>Checks stock for a product question, letting the model call an inventory tool as often as it needs.</summary>
public sealed class InventoryAgent(string apiKey)
{
    private static readonly ChatTool CheckStock = ChatTool.CreateFunctionTool(
        functionName: "check_stock",
        functionDescription: "Gets the units in stock for a product SKU.",
        functionParameters: BinaryData.FromBytes(
            """
            {
              "type": "object",
              "properties": { "sku": { "type": "string" } },
              "required": ["sku"],
              "additionalProperties": false
            }
            """u8.ToArray()));

    private readonly ChatClient _client = new("gpt-4o-mini", apiKey);

    public async Task<string> AnswerAsync(string question, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> messages = [new SystemChatMessage("Answer stock questions. Use check_stock for every SKU."), new UserChatMessage(question)];
        var options = new ChatCompletionOptions { Tools = { CheckStock } };

        // The shape of the OpenAI SDK's function-calling example: go on while the model asks for tools.
        bool requiresAction;
        ChatCompletion completion;
        do
        {
            requiresAction = false;
            completion = await _client.CompleteChatAsync(messages, options, cancellationToken);
            switch (completion.FinishReason)
            {
                case ChatFinishReason.ToolCalls:
                    messages.Add(new AssistantChatMessage(completion));
                    foreach (ChatToolCall call in completion.ToolCalls)
                    {
                        using JsonDocument arguments = JsonDocument.Parse(call.FunctionArguments.ToMemory());
                        string sku = arguments.RootElement.GetProperty("sku").GetString() ?? "";
                        messages.Add(new ToolChatMessage(call.Id, $"{sku}: 12 units"));
                    }

                    requiresAction = true;
                    break;
                default:
                    break;
            }
        }
        while (requiresAction);

        return completion.Content[0].Text;
    }
}
