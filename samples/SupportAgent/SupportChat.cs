using OpenAI.Chat;

namespace SupportAgent;

/// <summary>An interactive support chat for agents at the shop counter: type a question, get an answer.</summary>
public sealed class SupportChat(string apiKey)
{
    private readonly ChatClient _client = new("gpt-4.1-mini", apiKey);

    public async Task RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> messages = [new SystemChatMessage(SupportPolicy.Text)];
        while (true)
        {
            output.Write("> ");
            string? line = await input.ReadLineAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(line) || line == "exit")
            {
                break;
            }

            // The whole conversation goes with every question, so the model remembers what was said.
            messages.Add(new UserChatMessage(line));
            ChatCompletion reply = await _client.CompleteChatAsync(messages, new ChatCompletionOptions { MaxOutputTokenCount = 400 });
            messages.Add(new AssistantChatMessage(reply));
            output.WriteLine(reply.Content[0].Text);
        }
    }
}
