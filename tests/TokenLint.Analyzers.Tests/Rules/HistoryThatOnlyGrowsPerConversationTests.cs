using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.HistoryThatOnlyGrowsAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>
/// TL4004 on histories kept one per conversation in a dictionary keyed by chat, user or session id (the shape of
/// Telegram, Discord and Teams bots): fetched or created on each incoming message, appended to, and sent whole.
/// </summary>
public sealed class HistoryThatOnlyGrowsPerConversationTests
{
    private const string Rest = " and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer";

    [Fact]
    public async Task EntriesGrownOnEveryMessage_AreReported()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            // Semantic Kernel, GetOrAdd with a factory that writes the system prompt.
            sealed class TelegramAgent(IChatCompletionService chat, Kernel kernel)
            {
                private readonly ConcurrentDictionary<long, ChatHistory> _histories = new();

                public async Task<string?> OnMessageAsync(long chatId, string text)
                {
                    var history = _histories.GetOrAdd(chatId, _ => new ChatHistory("You are a helpful bot."));
                    lock (history) history.AddUserMessage(text);
                    var reply = await {|#0:chat.GetChatMessageContentAsync(history, kernel: kernel)|};
                    history.Add(reply);
                    return reply.Content;
                }

                public bool Knows(long chatId) => _histories.TryGetValue(chatId, out _);
            }

            // OpenAI, TryGetValue and an entry created when missing.
            sealed class DiscordBot(ChatClient client)
            {
                private static readonly Dictionary<ulong, List<OpenAI.Chat.ChatMessage>> Conversations = new();

                public async Task<string> ReplyAsync(ulong channelId, string text)
                {
                    if (!Conversations.TryGetValue(channelId, out var messages))
                    {
                        messages = [new SystemChatMessage("You are a Discord bot.")];
                        Conversations[channelId] = messages;
                    }

                    messages.Add(new UserChatMessage(text));
                    ChatCompletion completion = await {|#1:client.CompleteChatAsync(messages)|};
                    messages.Add(new AssistantChatMessage(completion));
                    return completion.Content[0].Text;
                }
            }

            // Microsoft.Extensions.AI, the entry fetched through a private helper.
            sealed class TeamsAgent(IChatClient chat)
            {
                private readonly ConcurrentDictionary<string, List<Microsoft.Extensions.AI.ChatMessage>> _conversations = new();

                private List<Microsoft.Extensions.AI.ChatMessage> GetOrCreate(string conversationId) =>
                    _conversations.GetOrAdd(conversationId, _ => [new(ChatRole.System, "You are a Teams agent.")]);

                public async Task<string> OnActivityAsync(string conversationId, string text)
                {
                    var history = GetOrCreate(conversationId);
                    history.Add(new(ChatRole.User, text));
                    ChatResponse response = await {|#2:chat.GetResponseAsync(history)|};
                    history.AddMessages(response);
                    return response.Text;
                }
            }

            // The indexer, with the key checked first.
            sealed class ChatManager(IChatCompletionService chat)
            {
                private readonly ConcurrentDictionary<long, ChatHistory> ChatHistories = new();

                public void Start(long id) => ChatHistories.TryAdd(id, new ChatHistory("Be brief."));

                public async Task<string?> AskAsync(long id, string question)
                {
                    if (!ChatHistories.ContainsKey(id))
                    {
                        return null;
                    }

                    var history = ChatHistories[id];
                    history.AddUserMessage(question);
                    var result = await {|#3:chat.GetChatMessageContentAsync(history)|};
                    return result.Content;
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage("'_histories[chatId]' gains 2 messages on every call of 'OnMessageAsync'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(1).WithMessage("'Conversations[channelId]' gains 2 messages on every call of 'ReplyAsync'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(2).WithMessage("'_conversations[conversationId]' gains 2 or more messages on every call of 'OnActivityAsync'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(3).WithMessage("'ChatHistories[id]' gains 1 message on every call of 'AskAsync'" + Rest));
    }

    [Fact]
    public async Task ProgramHandlerWithADictionaryOfHistories_IsReported()
    {
        // A bot's top-level program: the dictionary lives as long as the process, the lambda runs for each message.
        const string source = """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            IChatClient chat = null!;
            var conversations = new ConcurrentDictionary<string, List<ChatMessage>>();
            Func<string, string, Task<string>> onMessage = async (conversationId, text) =>
            {
                var history = conversations.GetOrAdd(conversationId, _ => []);
                history.Add(new ChatMessage(ChatRole.User, text));
                var response = await {|#0:chat.GetResponseAsync(history)|};
                history.Add(new ChatMessage(ChatRole.Assistant, response.Text));
                return response.Text;
            };
            await onMessage("c1", "hello");

            // A local function registered as the update handler.
            var histories = new Dictionary<long, List<ChatMessage>>();
            async Task HandleUpdateAsync(long chatId, string text)
            {
                if (!histories.TryGetValue(chatId, out var history))
                {
                    history = [];
                    histories[chatId] = history;
                }

                history.Add(new ChatMessage(ChatRole.User, text));
                await {|#1:chat.GetResponseAsync(history)|};
            }

            await HandleUpdateAsync(1, "hi");
            """;
        var test = new Verify.Test { TestCode = source };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4004").WithLocation(0)
            .WithMessage("'conversations[conversationId]' gains 2 messages on every call of this handler" + Rest));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4004").WithLocation(1)
            .WithMessage("'histories[chatId]' gains 1 message on every call of 'HandleUpdateAsync'" + Rest));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EntriesCappedResetOrHandedElsewhere_AreNotReported()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            // Trimmed by a helper of the type (while (history.Count > N) history.RemoveAt(1)).
            sealed class TrimmedByHelper(IChatCompletionService chat)
            {
                private readonly ConcurrentDictionary<long, ChatHistory> _histories = new();

                private ChatHistory GetOrCreate(long chatId) => _histories.GetOrAdd(chatId, _ => new ChatHistory("Be brief."));

                private static void Trim(ChatHistory history)
                {
                    while (history.Count > 21) history.RemoveAt(1);
                }

                public async Task<string?> OnMessageAsync(long chatId, string text)
                {
                    var history = GetOrCreate(chatId);
                    history.AddUserMessage(text);
                    Trim(history);
                    var reply = await chat.GetChatMessageContentAsync(history);
                    history.Add(reply);
                    return reply.Content;
                }
            }

            // Trimmed in another method that fetches the same entry.
            sealed class TrimmedElsewhere(IChatCompletionService chat)
            {
                private readonly ConcurrentDictionary<long, ChatHistory> _histories = new();

                public async Task<string?> OnMessageAsync(long chatId, string text)
                {
                    var history = _histories.GetOrAdd(chatId, _ => new ChatHistory());
                    history.AddUserMessage(text);
                    var reply = await chat.GetChatMessageContentAsync(history);
                    history.Add(reply);
                    return reply.Content;
                }

                public void Compact(long chatId)
                {
                    if (_histories.TryGetValue(chatId, out var history) && history.Count > 40)
                    {
                        history.RemoveRange(0, 20);
                    }
                }
            }

            // A window when sending.
            sealed class Windowed(ChatClient client)
            {
                private readonly Dictionary<long, List<OpenAI.Chat.ChatMessage>> _messages = new();

                public async Task ReplyAsync(long chatId, string text)
                {
                    if (!_messages.TryGetValue(chatId, out var messages))
                    {
                        messages = [];
                        _messages[chatId] = messages;
                    }

                    messages.Add(new UserChatMessage(text));
                    await client.CompleteChatAsync(messages.TakeLast(20));
                }
            }

            // A conversation the user can reset (/reset drops its entry).
            sealed class Resettable(IChatClient chat)
            {
                private readonly ConcurrentDictionary<string, List<Microsoft.Extensions.AI.ChatMessage>> _conversations = new();

                public async Task<string> OnMessageAsync(string id, string text)
                {
                    if (text == "/reset")
                    {
                        _conversations.TryRemove(id, out _);
                        return "Cleared.";
                    }

                    var history = _conversations.GetOrAdd(id, _ => []);
                    history.Add(new(ChatRole.User, text));
                    return (await chat.GetResponseAsync(history)).Text;
                }
            }

            // An entry replaced with a new history outside a create-when-missing.
            sealed class Replaced(IChatClient chat)
            {
                private readonly Dictionary<string, List<Microsoft.Extensions.AI.ChatMessage>> _conversations = new();

                public void NewConversation(string id) => _conversations[id] = [];

                public async Task<string> OnMessageAsync(string id, string text)
                {
                    var history = _conversations[id];
                    history.Add(new(ChatRole.User, text));
                    return (await chat.GetResponseAsync(history)).Text;
                }
            }

            // Semantic Kernel's reducer in the type.
            sealed class Reduced(IChatCompletionService chat, IChatHistoryReducer reducer)
            {
                private readonly ConcurrentDictionary<long, ChatHistory> _histories = new();

                public async Task OnMessageAsync(long chatId, string text)
                {
                    var history = _histories.GetOrAdd(chatId, _ => new ChatHistory());
                    history.AddUserMessage(text);
                    await chat.GetChatMessageContentAsync(history);
                }
            }

            // A copy is sent and grown, not the stored entry.
            sealed class CopySent(IChatClient chat)
            {
                private readonly ConcurrentDictionary<string, List<Microsoft.Extensions.AI.ChatMessage>> _conversations = new();

                public async Task<string> OnMessageAsync(string id, string text)
                {
                    var messages = _conversations.GetOrAdd(id, _ => []).ToList();
                    messages.Add(new(ChatRole.User, text));
                    return (await chat.GetResponseAsync(messages)).Text;
                }
            }

            // A helper that returns a copy of the entry: the callers' adds never reach the stored history.
            sealed class CopyReturned(IChatClient chat)
            {
                private readonly ConcurrentDictionary<string, List<Microsoft.Extensions.AI.ChatMessage>> _conversations = new();

                private List<Microsoft.Extensions.AI.ChatMessage> Snapshot(string id) => _conversations.GetOrAdd(id, _ => []).ToList();

                public async Task<string> OnMessageAsync(string id, string text)
                {
                    var messages = Snapshot(id);
                    messages.Add(new(ChatRole.User, text));
                    return (await chat.GetResponseAsync(messages)).Text;
                }
            }

            // A dictionary any other type can reach.
            sealed class PublicStore(IChatClient chat)
            {
                public ConcurrentDictionary<string, List<Microsoft.Extensions.AI.ChatMessage>> Conversations { get; } = new();

                public async Task<string> OnMessageAsync(string id, string text)
                {
                    var history = Conversations.GetOrAdd(id, _ => []);
                    history.Add(new(ChatRole.User, text));
                    return (await chat.GetResponseAsync(history)).Text;
                }
            }

            // Read only: the sending method adds nothing.
            sealed class ReadOnlyExamples(IChatClient chat)
            {
                private readonly Dictionary<string, List<Microsoft.Extensions.AI.ChatMessage>> _examples = new()
                {
                    ["math"] = [new(ChatRole.User, "2+2"), new(ChatRole.Assistant, "4")],
                };

                public async Task<string> AskAsync(string topic) => (await chat.GetResponseAsync(_examples[topic])).Text;
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
