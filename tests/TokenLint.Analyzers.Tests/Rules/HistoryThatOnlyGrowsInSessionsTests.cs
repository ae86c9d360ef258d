using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.HistoryThatOnlyGrowsAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>
/// TL4004 on histories held by a chat-session object (<c>ChatState.Messages</c>, <c>session.History</c>): the session
/// lives across calls (kept in a field, one per conversation in a dictionary, or for a Blazor circuit), each call adds
/// the user's message and the reply and sends the whole list.
/// </summary>
public sealed class HistoryThatOnlyGrowsInSessionsTests
{
    private const string Rest = " and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer";

    /// <summary>eShop's chatbot: a public list that only the page reads; in an application no other assembly writes it.</summary>
    private const string ChatState = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        public class ChatState
        {
            private readonly IChatClient _chatClient;

            public ChatState(IChatClient chatClient)
            {
                _chatClient = chatClient;
                Messages = [new ChatMessage(ChatRole.System, "You are the store's assistant.")];
            }

            public IList<ChatMessage> Messages { get; }

            public async Task AddUserMessageAsync(string userText)
            {
                Messages.Add(new ChatMessage(ChatRole.User, userText));
                try
                {
                    var response = await {|#0:_chatClient.GetResponseAsync(Messages)|};
                    Messages.AddMessages(response);
                }
                catch (Exception)
                {
                    Messages.Add(new ChatMessage(ChatRole.Assistant, "My apologies, but I encountered an unexpected error."));
                }
            }
        }

        public class Chatbot(IChatClient client)
        {
            private readonly ChatState _state = new(client);

            public IEnumerable<string> Shown => _state.Messages.Where(m => m.Role != ChatRole.System).Select(m => m.Text);

            public Task SendAsync(string text) => _state.AddUserMessageAsync(text);
        }
        """;

    [Fact]
    public async Task PublicHistoryOfAnApplication_IsReported()
    {
        var test = new Verify.Test { TestCode = ChatState + "\nstatic class Program { static void Main() { } }\n" };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4004").WithLocation(0)
            .WithMessage("'Messages' gains 2 or more messages on every call of 'AddUserMessageAsync'" + Rest));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task PublicHistoryOfALibrary_IsNotReported()
    {
        // Any assembly that references the library can trim Messages.
        await Verify.VerifyAnalyzerAsync(ChatState.Replace("{|#0:", "").Replace("|}", ""));
    }

    [Fact]
    public async Task SessionsKeptByTheSendingType_AreReported()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            class ChatSession
            {
                public List<Microsoft.Extensions.AI.ChatMessage> Messages { get; } = [];
                public string? Title { get; set; }
            }

            // One session per conversation, in a dictionary that is never emptied.
            sealed class ChatService(IChatClient chat)
            {
                private readonly ConcurrentDictionary<string, ChatSession> _sessions = new();

                public async Task<string> AskAsync(string conversationId, string text)
                {
                    var session = _sessions.GetOrAdd(conversationId, _ => new ChatSession());
                    session.Messages.Add(new(ChatRole.User, text));
                    var response = await {|#0:chat.GetResponseAsync(session.Messages)|};
                    session.Messages.Add(new(ChatRole.Assistant, response.Text));
                    return response.Text;
                }
            }

            class Conversation
            {
                public ChatHistory History { get; } = new("You are a support agent.");
            }

            // One conversation for the life of the assistant, in a field it never replaces.
            sealed class Assistant(IChatCompletionService chat)
            {
                private readonly Conversation _conversation = new();

                public async Task<string?> ReplyAsync(string text)
                {
                    _conversation.History.AddUserMessage(text);
                    var reply = await {|#1:chat.GetChatMessageContentAsync(_conversation.History)|};
                    _conversation.History.Add(reply);
                    return reply.Content;
                }
            }

            class BotState
            {
                public readonly List<OpenAI.Chat.ChatMessage> Messages = [];
            }

            // TryGetValue, and a new state stored when the chat has none.
            sealed class TelegramBot(ChatClient client)
            {
                private readonly Dictionary<long, BotState> _states = new();

                public async Task<string> OnMessageAsync(long chatId, string text)
                {
                    if (!_states.TryGetValue(chatId, out var state))
                    {
                        state = new BotState();
                        _states[chatId] = state;
                    }

                    state.Messages.Add(new UserChatMessage(text));
                    ChatCompletion completion = await {|#2:client.CompleteChatAsync(state.Messages)|};
                    state.Messages.Add(new AssistantChatMessage(completion));
                    return completion.Content[0].Text;
                }
            }

            // A public history of an internal type: only this assembly can trim it, and nothing does.
            class InternalHistory(ChatClient client)
            {
                public List<OpenAI.Chat.ChatMessage> History { get; } = [];

                public async Task SendAsync(string text)
                {
                    History.Add(new UserChatMessage(text));
                    await {|#3:client.CompleteChatAsync(History)|};
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage("'session.Messages' gains 2 messages on every call of 'AskAsync' and is kept between calls in '_sessions'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(1).WithMessage("'_conversation.History' gains 2 messages on every call of 'ReplyAsync' and is kept between calls in '_conversation'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(2).WithMessage("'state.Messages' gains 2 messages on every call of 'OnMessageAsync' and is kept between calls in '_states'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(3).WithMessage("'History' gains 1 message on every call of 'SendAsync'" + Rest));
    }

    [Fact]
    public async Task SessionsCappedOrNotKept_AreNotReported()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            // Trimmed by a method of the session's own type.
            class TrimmedSession
            {
                public List<ChatMessage> Messages { get; } = [];

                public void Trim()
                {
                    if (Messages.Count > 20)
                    {
                        Messages.RemoveRange(0, Messages.Count - 20);
                    }
                }
            }

            // Cleared from outside its type.
            class ClearedSession
            {
                public List<ChatMessage> Messages { get; } = [];
            }

            // A reducer in the session's type.
            class ReducedSession
            {
                public IChatReducer? Reducer { get; set; }
                public List<ChatMessage> Messages { get; } = [];
            }

            // Handed to a method the rule does not follow.
            class ArchivedSession
            {
                public List<ChatMessage> Messages { get; } = [];
            }

            class Archive
            {
                public static void Store(List<ChatMessage> messages) { }
            }

            class Session
            {
                public List<ChatMessage> Messages { get; } = [];
            }

            sealed class Service(IChatClient chat)
            {
                private readonly TrimmedSession _trimmed = new();
                private readonly ClearedSession _cleared = new();
                private readonly ReducedSession _reduced = new();
                private readonly ArchivedSession _archived = new();
                private Session _replaced = new();
                private readonly ConcurrentDictionary<string, Session> _sessions = new();

                public async Task TrimmedAsync(string text)
                {
                    _trimmed.Messages.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(_trimmed.Messages);
                }

                public async Task ClearedAsync(string text)
                {
                    _cleared.Messages.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(_cleared.Messages);
                }

                public void Reset() => _cleared.Messages.Clear();

                public async Task ReducedAsync(string text)
                {
                    _reduced.Messages.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(_reduced.Messages);
                }

                public async Task ArchivedAsync(string text)
                {
                    _archived.Messages.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(_archived.Messages);
                    Archive.Store(_archived.Messages);
                }

                // A field that is replaced: the session may start over.
                public async Task ReplacedAsync(string text)
                {
                    _replaced.Messages.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(_replaced.Messages);
                }

                public void NewConversation() => _replaced = new Session();

                // A new session per call, and one passed in: neither is kept here.
                public async Task PerCallAsync(string text)
                {
                    var session = new Session();
                    session.Messages.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(session.Messages);
                }

                public async Task PassedInAsync(Session session, string text)
                {
                    session.Messages.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(session.Messages);
                }

                // A dictionary whose sessions are dropped when a conversation ends.
                public async Task<string> AskAsync(string id, string text)
                {
                    var session = _sessions.GetOrAdd(id, _ => new Session());
                    session.Messages.Add(new(ChatRole.User, text));
                    var response = await chat.GetResponseAsync(session.Messages);
                    session.Messages.Add(new(ChatRole.Assistant, response.Text));
                    return response.Text;
                }

                public void End(string id) => _sessions.TryRemove(id, out _);
            }

            // Held by a type made per request.
            sealed class ScopedSession
            {
                public List<ChatMessage> Messages { get; } = [];
            }

            sealed class ScopedService(IChatClient chat)
            {
                private readonly ScopedSession _session = new();

                public async Task SendAsync(string text)
                {
                    _session.Messages.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(_session.Messages);
                }
            }

            static class Registration
            {
                public static void AddScoped<T>(this System.IServiceProvider services) { }

                public static void Configure(System.IServiceProvider services) => services.AddScoped<ScopedService>();
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ConversationStoreThatNeverDropsEntries_IsReported()
    {
        // A singleton store of one history per conversation, in its own file, that the handler grows and sends whole.
        const string store = """
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class ConversationStore
            {
                private readonly ConcurrentDictionary<string, List<ChatMessage>> _conversations = new();

                public List<ChatMessage> GetOrCreate(string conversationId) =>
                    _conversations.GetOrAdd(conversationId, _ => [new ChatMessage(ChatRole.System, "You are a support agent.")]);

                public int Count => _conversations.Count;
            }
            """;
        const string handler = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ChatHandler(IChatClient chat, ConversationStore store)
            {
                public async Task<string> HandleAsync(string conversationId, string text)
                {
                    var history = store.GetOrCreate(conversationId);
                    history.Add(new ChatMessage(ChatRole.User, text));
                    var response = await {|#0:chat.GetResponseAsync(history)|};
                    history.AddMessages(response);
                    return response.Text;
                }

                // A store made for this call holds nothing between calls.
                public async Task<string> OnceAsync(string conversationId, string text)
                {
                    var fresh = new ConversationStore();
                    var history = fresh.GetOrCreate(conversationId);
                    history.Add(new ChatMessage(ChatRole.User, text));
                    return (await chat.GetResponseAsync(history)).Text;
                }
            }

            static class Program { static void Main() { } }
            """;
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/0/ConversationStore.cs", store));
        test.TestState.Sources.Add(("/0/ChatHandler.cs", handler));
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL4004").WithLocation("/0/ChatHandler.cs", 10, 30)
            .WithMessage("'_conversations[conversationId]' gains 2 or more messages on every call of 'HandleAsync'" + Rest));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ConversationStoresThatDropTrimOrLeaveTheAssembly_AreNotReported()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            // Drops a conversation when it ends.
            sealed class ExpiringStore
            {
                private readonly ConcurrentDictionary<string, List<ChatMessage>> _conversations = new();

                public List<ChatMessage> GetOrCreate(string id) => _conversations.GetOrAdd(id, _ => []);

                public void End(string id) => _conversations.TryRemove(id, out _);
            }

            // Another caller trims what it gets.
            sealed class TrimmedStore
            {
                private readonly ConcurrentDictionary<string, List<ChatMessage>> _conversations = new();

                public List<ChatMessage> GetOrCreate(string id) => _conversations.GetOrAdd(id, _ => []);
            }

            sealed class Janitor(TrimmedStore store)
            {
                public void Trim(string id)
                {
                    var history = store.GetOrCreate(id);
                    if (history.Count > 20)
                    {
                        history.RemoveRange(0, history.Count - 20);
                    }
                }
            }

            // Public in a library: other assemblies can call GetOrCreate and trim.
            public sealed class PublicStore
            {
                private readonly ConcurrentDictionary<string, List<ChatMessage>> _conversations = new();

                public List<ChatMessage> GetOrCreate(string id) => _conversations.GetOrAdd(id, _ => []);
            }

            // Registered per request: its dictionary starts empty each time.
            sealed class ScopedStore
            {
                private readonly ConcurrentDictionary<string, List<ChatMessage>> _conversations = new();

                public List<ChatMessage> GetOrCreate(string id) => _conversations.GetOrAdd(id, _ => []);
            }

            static class Registration
            {
                public static void AddScoped<T>(this System.IServiceProvider services) { }

                public static void Configure(System.IServiceProvider services) => services.AddScoped<ScopedStore>();
            }

            sealed class Handler(IChatClient chat, ExpiringStore expiring, TrimmedStore trimmed, PublicStore shared, ScopedStore scoped)
            {
                public async Task ExpiringAsync(string id, string text)
                {
                    var history = expiring.GetOrCreate(id);
                    history.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(history);
                }

                public async Task TrimmedAsync(string id, string text)
                {
                    var history = trimmed.GetOrCreate(id);
                    history.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(history);
                }

                public async Task SharedAsync(string id, string text)
                {
                    var history = shared.GetOrCreate(id);
                    history.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(history);
                }

                public async Task ScopedAsync(string id, string text)
                {
                    var history = scoped.GetOrCreate(id);
                    history.Add(new(ChatRole.User, text));
                    await chat.GetResponseAsync(history);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
