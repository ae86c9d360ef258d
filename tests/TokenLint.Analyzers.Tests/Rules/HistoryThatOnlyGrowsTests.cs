using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.HistoryThatOnlyGrowsAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class HistoryThatOnlyGrowsTests
{
    private static string Message(string name) =>
        $"'{name}' gains 2 messages on every turn of this loop and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer";

    [Fact]
    public async Task ChatLoopsThatOnlyAppend_AreReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            class Chat
            {
                public async Task OpenAIAsync(ChatClient client, TextReader input)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("You are helpful.")];
                    while (true)
                    {
                        var line = input.ReadLine();
                        if (line == "exit") break;
                        messages.Add(new UserChatMessage(line));
                        ChatCompletion reply = await {|#0:client.CompleteChatAsync(messages)|};
                        messages.Add(new AssistantChatMessage(reply));
                    }
                }

                public async Task KernelAsync(IChatCompletionService chat, TextReader input)
                {
                    var history = new ChatHistory("You are helpful.");
                    string? line;
                    while ((line = input.ReadLine()) != null)
                    {
                        history.AddUserMessage(line);
                        var reply = await {|#1:chat.GetChatMessageContentAsync(history)|};
                        history.Add(reply);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage(Message("messages")),
            Verify.Diagnostic("TL4004").WithLocation(1).WithMessage(Message("history")));
    }

    [Fact]
    public async Task TrimmedBoundedOrFreshHistories_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Chat
            {
                public async Task WindowAsync(ChatClient client, TextReader input)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("You are helpful.")];
                    while (true)
                    {
                        messages.Add(new UserChatMessage(input.ReadLine()));
                        ChatCompletion reply = await client.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(reply));
                        if (messages.Count > 21) messages.RemoveRange(1, 2);
                    }
                }

                public async Task ThreeTurnsAsync(ChatClient client, string[] questions)
                {
                    List<ChatMessage> messages = [];
                    for (var turn = 0; turn < 3; turn++)
                    {
                        messages.Add(new UserChatMessage(questions[turn]));
                        await client.CompleteChatAsync(messages);
                    }
                }

                public async Task FreshEachTurnAsync(ChatClient client, TextReader input)
                {
                    while (true)
                    {
                        List<ChatMessage> messages = [new UserChatMessage(input.ReadLine())];
                        messages.Add(new SystemChatMessage("Be brief."));
                        await client.CompleteChatAsync(messages);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ManualFunctionCallingLoops_AreLeftToTL3003()
    {
        // Semantic Kernel's manual function-calling sample: the history grows by tool results within one request,
        // and the loop ends when the model asks for no tools; TL3003 reports the missing step limit.
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            class Agent
            {
                public async Task RunAsync(Kernel kernel, IChatCompletionService chat)
                {
                    ChatHistory chatHistory = [];
                    chatHistory.AddUserMessage("What is the likely color of the sky in Boston today?");
                    while (true)
                    {
                        ChatMessageContent result = await chat.GetChatMessageContentAsync(chatHistory, kernel: kernel);
                        IEnumerable<FunctionCallContent> functionCalls = FunctionCallContent.GetFunctionCalls(result);
                        if (!functionCalls.Any())
                        {
                            break;
                        }

                        chatHistory.Add(result);
                        foreach (FunctionCallContent functionCall in functionCalls)
                        {
                            FunctionResultContent resultContent = await functionCall.InvokeAsync(kernel);
                            chatHistory.Add(resultContent.ToChatMessage());
                        }
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    private const string Rest = " and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer";

    /// <summary>
    /// The few ASP.NET Core and Entity Framework Core names the rule reads, declared in their namespaces: the test
    /// project references the model SDKs' real packages, not the web and data stacks.
    /// </summary>
    private const string WebAndStoreStubs = """

        namespace Microsoft.AspNetCore.Mvc
        {
            public abstract class ControllerBase { }
            public sealed class HttpPostAttribute : System.Attribute { }
        }

        namespace Microsoft.AspNetCore.SignalR
        {
            public abstract class Hub { }
        }

        namespace Microsoft.AspNetCore.Builder
        {
            public sealed class WebApplication { }
            public static class EndpointRouteBuilderExtensions
            {
                public static void MapPost(this WebApplication app, string pattern, System.Delegate handler) { }
            }
        }

        namespace Microsoft.EntityFrameworkCore
        {
            public abstract class DbSet<T> : System.Linq.IQueryable<T> where T : class
            {
                public System.Type ElementType => typeof(T);
                public System.Linq.Expressions.Expression Expression => null!;
                public System.Linq.IQueryProvider Provider => null!;
                public System.Collections.Generic.IEnumerator<T> GetEnumerator() => null!;
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => null!;
            }

            public static class EntityFrameworkQueryableExtensions
            {
                public static System.Threading.Tasks.Task<System.Collections.Generic.List<T>> ToListAsync<T>(this System.Linq.IQueryable<T> source) => null!;
            }
        }
        """;

    [Fact]
    public async Task HistoriesThatOutliveOneCall_AreReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            // A chat session: every SendAsync adds the question and the answer, and sends them all.
            class OpenAISession(ChatClient client)
            {
                private readonly List<OpenAI.Chat.ChatMessage> _history = [new SystemChatMessage("You are helpful.")];

                public async Task<string> SendAsync(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    ChatCompletion reply = await {|#0:client.CompleteChatAsync(_history)|};
                    _history.Add(new AssistantChatMessage(reply));
                    return reply.Content[0].Text;
                }

                public IReadOnlyList<OpenAI.Chat.ChatMessage> Messages => _history;
            }

            class KernelSession(IChatCompletionService chat)
            {
                private ChatHistory History { get; } = new("You are helpful.");

                public async Task<string?> AskAsync(string question)
                {
                    History.AddUserMessage(question);
                    var reply = await {|#1:chat.GetChatMessageContentAsync(History)|};
                    History.Add(reply);
                    return reply.Content;
                }
            }

            class ExtensionsSession(IChatClient chat)
            {
                private readonly List<Microsoft.Extensions.AI.ChatMessage> _messages = [];

                public async Task<string> AskAsync(string question)
                {
                    _messages.Add(new(ChatRole.User, question));
                    ChatResponse response = await {|#2:chat.GetResponseAsync(_messages)|};
                    _messages.AddMessages(response);
                    return response.Text;
                }
            }

            // The history inside an Anthropic request object.
            class AnthropicSession(AnthropicClient client)
            {
                private readonly List<MessageParam> _turns = [];

                public async Task<Message> SendAsync(string text)
                {
                    _turns.Add(new UserMessageParam(text));
                    Message reply = await {|#3:client.Messages.Create(new MessageCreateParams { Model = Model.ClaudeSonnet4_5, MaxTokens = 1024, Messages = _turns })|};
                    return reply;
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage("'_history' gains 2 messages on every call of 'SendAsync'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(1).WithMessage("'History' gains 2 messages on every call of 'AskAsync'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(2).WithMessage("'_messages' gains 2 or more messages on every call of 'AskAsync'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(3).WithMessage("'_turns' gains 1 message on every call of 'SendAsync'" + Rest));
    }

    [Fact]
    public async Task AnthropicRequestObjectInALoop_IsReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class Chat
            {
                public async Task RunAsync(AnthropicClient client, TextReader input)
                {
                    List<MessageParam> messages = [];
                    while (true)
                    {
                        messages.Add(new UserMessageParam(input.ReadLine()!));
                        Message reply = await {|#0:client.Messages.Create(new MessageCreateParams { Model = Model.ClaudeSonnet4_5, MaxTokens = 1024, Messages = messages })|};
                        messages.Add(new UserMessageParam("Go on."));
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic("TL4004").WithLocation(0).WithMessage(Message("messages")));
    }

    [Fact]
    public async Task MemberHistoriesCappedAnywhereInTheirType_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            // Trimmed in another method of the same type.
            class TrimmedElsewhere(ChatClient client)
            {
                private readonly List<ChatMessage> _history = [];

                public async Task SendAsync(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    ChatCompletion reply = await client.CompleteChatAsync(_history);
                    _history.Add(new AssistantChatMessage(reply));
                    Trim();
                }

                private void Trim()
                {
                    if (_history.Count > 20)
                    {
                        _history.RemoveRange(0, _history.Count - 20);
                    }
                }
            }

            // A window when sending.
            class Windowed(ChatClient client)
            {
                private readonly List<ChatMessage> _history = [];

                public async Task SendAsync(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    ChatCompletion reply = await client.CompleteChatAsync(_history.TakeLast(20));
                    _history.Add(new AssistantChatMessage(reply));
                }
            }

            // Skip(count - n) when sending.
            class Skipped(ChatClient client)
            {
                private readonly List<ChatMessage> _history = [];

                public async Task SendAsync(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    await client.CompleteChatAsync(_history.Skip(System.Math.Max(0, _history.Count - 20)));
                }
            }

            // Reset by a user command.
            class ResetByUser(ChatClient client)
            {
                private List<ChatMessage> _history = [];

                public async Task SendAsync(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    await client.CompleteChatAsync(_history);
                }

                public void NewConversation() => _history = [];
            }

            // Cleared.
            class Cleared(ChatClient client)
            {
                private readonly List<ChatMessage> _history = [];

                public async Task SendAsync(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    await client.CompleteChatAsync(_history);
                }

                public void Reset() => _history.Clear();
            }

            // Summarised by a helper the rule cannot read.
            class Summarised(ChatClient client, HistorySummarizer summarizer)
            {
                private readonly List<ChatMessage> _history = [];

                public async Task SendAsync(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    await client.CompleteChatAsync(_history);
                    await summarizer.CondenseAsync(_history);
                }
            }

            class HistorySummarizer
            {
                public Task CondenseAsync(List<ChatMessage> history) => Task.CompletedTask;
            }

            // Semantic Kernel's reducer.
            class Reduced(IChatCompletionService chat, IChatHistoryReducer reducer)
            {
                private readonly ChatHistory _history = [];

                public async Task SendAsync(string text)
                {
                    _history.AddUserMessage(text);
                    await _history.ReduceInPlaceAsync(reducer, default);
                    await chat.GetChatMessageContentAsync(_history);
                }
            }

            // Any assembly that references this library can trim a public history.
            public class PublicHistory(ChatClient client)
            {
                public List<ChatMessage> History { get; } = [];

                public async Task SendAsync(string text)
                {
                    History.Add(new UserChatMessage(text));
                    await client.CompleteChatAsync(History);
                }
            }

            // A new controller for each request: its field starts empty every time.
            public sealed class PerRequestController(ChatClient client) : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                private readonly List<ChatMessage> _history = [];

                [Microsoft.AspNetCore.Mvc.HttpPost]
                public async Task Post(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    await client.CompleteChatAsync(_history);
                }
            }

            // Registered as a scoped service: one instance per request.
            class ScopedSession(ChatClient client)
            {
                private readonly List<ChatMessage> _history = [];

                public async Task SendAsync(string text)
                {
                    _history.Add(new UserChatMessage(text));
                    await client.CompleteChatAsync(_history);
                }
            }

            static class Registration
            {
                public static void AddScoped<T>(this System.IServiceProvider services) { }

                public static void Configure(System.IServiceProvider services) => services.AddScoped<ScopedSession>();
            }

            // Sent whole, but the sending method adds nothing: the history is fixed.
            class FixedHistory(ChatClient client)
            {
                private readonly List<ChatMessage> _examples = [new UserChatMessage("2+2"), new AssistantChatMessage("4")];

                public async Task SendAsync() => await client.CompleteChatAsync(_examples);
            }
            """ + WebAndStoreStubs;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task HistoriesFromWebRequestsAndStores_AreReportedWithTheirOrigin()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.SignalR;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.AI;

            public sealed record Turn(string Role, string Text);
            public sealed record ChatRequest(List<Turn> Messages);
            public sealed class StoredMessage { public int ConversationId { get; set; } public string Role { get; set; } = ""; public string Text { get; set; } = ""; public System.DateTime At { get; set; } }
            public abstract class ChatDb { public abstract DbSet<StoredMessage> Messages { get; } }

            public sealed class ChatController(IChatClient chat) : ControllerBase
            {
                [HttpPost]
                public async Task<string> Post(ChatRequest request)
                {
                    var messages = request.Messages.Select(t => new ChatMessage(new ChatRole(t.Role), t.Text)).ToList();
                    ChatResponse response = await {|#0:chat.GetResponseAsync(messages)|};
                    return response.Text;
                }
            }

            public sealed class ChatHub(IChatClient chat) : Hub
            {
                public async Task<string> Ask(List<ChatMessage> history)
                {
                    var messages = new List<ChatMessage> { new(ChatRole.System, "You are helpful.") };
                    messages.AddRange(history);
                    return (await {|#1:chat.GetResponseAsync(messages)|}).Text;
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapPost("/chat", async (List<ChatMessage> history, IChatClient chat) => (await {|#2:chat.GetResponseAsync(history)|}).Text);
            }

            public sealed class Replier(ChatDb db, IChatClient chat)
            {
                public async Task<string> OnMessageAsync(int conversationId)
                {
                    var rows = await db.Messages.Where(m => m.ConversationId == conversationId).OrderBy(m => m.At).ToListAsync();
                    var history = new List<ChatMessage>();
                    foreach (var row in rows)
                    {
                        history.Add(new ChatMessage(new ChatRole(row.Role), row.Text));
                    }

                    return (await {|#3:chat.GetResponseAsync(history)|}).Text;
                }

                // The same query in a helper of the type.
                private async Task<List<ChatMessage>> LoadHistoryAsync(int conversationId)
                {
                    var rows = await db.Messages.Where(m => m.ConversationId == conversationId).ToListAsync();
                    return rows.Select(r => new ChatMessage(new ChatRole(r.Role), r.Text)).ToList();
                }

                public async Task<string> OnEventAsync(int conversationId)
                {
                    var history = await LoadHistoryAsync(conversationId);
                    return (await {|#4:chat.GetResponseAsync(history)|}).Text;
                }
            }
            """ + WebAndStoreStubs;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4004").WithLocation(0).WithMessage("'request.Messages' arrives whole with each web request to 'Post' (a controller action)" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(1).WithMessage("'history' arrives whole with each web request to 'Ask' (a SignalR hub method)" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(2).WithMessage("'history' arrives whole with each web request (a minimal API handler)" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(3).WithMessage("'db.Messages' is read whole from the database on every call of 'OnMessageAsync'" + Rest),
            Verify.Diagnostic("TL4004").WithLocation(4).WithMessage("'db.Messages' is read whole from the database on every call of 'OnEventAsync'" + Rest));
    }

    [Fact]
    public async Task BoundedWebAndStoreHistories_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.ComponentModel.DataAnnotations;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.AI;

            public sealed class StoredMessage { public int ConversationId { get; set; } public string Role { get; set; } = ""; public string Text { get; set; } = ""; public System.DateTime At { get; set; } }
            public abstract class ChatDb { public abstract DbSet<StoredMessage> Messages { get; } }
            public sealed class CappedRequest { [MaxLength(20)] public List<ChatMessage> Messages { get; set; } = []; }

            public sealed class ChatController(IChatClient chat, ChatDb db) : ControllerBase
            {
                // A window of the last 20.
                [HttpPost]
                public async Task<string> Window(List<ChatMessage> history) =>
                    (await chat.GetResponseAsync(history.TakeLast(20))).Text;

                // A count check.
                [HttpPost]
                public async Task<string> Checked(List<ChatMessage> history)
                {
                    if (history.Count > 40)
                    {
                        return "Start a new conversation.";
                    }

                    return (await chat.GetResponseAsync(history)).Text;
                }

                // A validation attribute caps it.
                [HttpPost]
                public async Task<string> Validated(CappedRequest request) =>
                    (await chat.GetResponseAsync(request.Messages)).Text;

                // Not an action: a private helper's parameter may come from anywhere.
                private async Task<string> Helper(List<ChatMessage> history) =>
                    (await chat.GetResponseAsync(history)).Text;

                // The 20 latest stored messages.
                [HttpPost]
                public async Task<string> Latest(int conversationId)
                {
                    var rows = await db.Messages.Where(m => m.ConversationId == conversationId).OrderByDescending(m => m.At).Take(20).ToListAsync();
                    var history = rows.Select(r => new ChatMessage(new ChatRole(r.Role), r.Text)).Reverse().ToList();
                    return (await chat.GetResponseAsync(history)).Text;
                }

                // Stored messages of the last hour.
                [HttpPost]
                public async Task<string> Recent(int conversationId, System.DateTime since)
                {
                    var rows = await db.Messages.Where(m => m.ConversationId == conversationId && m.At > since).ToListAsync();
                    return (await chat.GetResponseAsync(rows.Select(r => new ChatMessage(new ChatRole(r.Role), r.Text)).ToList())).Text;
                }

                // Trimmed after loading.
                [HttpPost]
                public async Task<string> TrimmedAfterLoading(int conversationId)
                {
                    var rows = await db.Messages.Where(m => m.ConversationId == conversationId).ToListAsync();
                    var history = rows.Select(r => new ChatMessage(new ChatRole(r.Role), r.Text)).ToList();
                    if (history.Count > 20)
                    {
                        history.RemoveRange(0, history.Count - 20);
                    }

                    return (await chat.GetResponseAsync(history)).Text;
                }

                // The rows trimmed before they become the history.
                [HttpPost]
                public async Task<string> RowsTrimmed(int conversationId)
                {
                    var rows = await db.Messages.Where(m => m.ConversationId == conversationId).ToListAsync();
                    rows.RemoveRange(0, System.Math.Max(0, rows.Count - 20));
                    var history = new List<ChatMessage>();
                    foreach (var row in rows)
                    {
                        history.Add(new ChatMessage(new ChatRole(row.Role), row.Text));
                    }

                    return (await chat.GetResponseAsync(history)).Text;
                }

                // A helper that reads the 20 latest stored messages.
                private async Task<List<ChatMessage>> LoadLatestAsync(int conversationId)
                {
                    var rows = await db.Messages.Where(m => m.ConversationId == conversationId).OrderByDescending(m => m.At).Take(20).ToListAsync();
                    return rows.Select(r => new ChatMessage(new ChatRole(r.Role), r.Text)).ToList();
                }

                [HttpPost]
                public async Task<string> LatestThroughHelper(int conversationId) =>
                    (await chat.GetResponseAsync(await LoadLatestAsync(conversationId))).Text;

                // Only the question is sent.
                [HttpPost]
                public async Task<string> QuestionOnly(string question) =>
                    (await chat.GetResponseAsync(question)).Text;
            }
            """ + WebAndStoreStubs;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task RequestBuiltBeforeTheLoop_IsNotReported()
    {
        // The Anthropic SDK copies the messages into the request when it is built: later Adds do not reach it.
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Models.Messages;

            class Chat
            {
                public async Task RunAsync(AnthropicClient client, TextReader input)
                {
                    List<MessageParam> messages = [new UserMessageParam("Hello")];
                    var request = new MessageCreateParams { Model = Model.ClaudeSonnet4_5, MaxTokens = 1024, Messages = messages };
                    while (true)
                    {
                        messages.Add(new UserMessageParam(input.ReadLine()!));
                        await client.Messages.Create(request);
                    }
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task WebHistoryGrownInALoop_IsReportedOnce()
    {
        // The loop check reports it; the web-request check does not report the same call again.
        const string source = """
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.Extensions.AI;

            public sealed class ChatController(IChatClient chat) : ControllerBase
            {
                public async Task Post(List<ChatMessage> history, TextReader input)
                {
                    var messages = history.ToList();
                    while (true)
                    {
                        messages.Add(new ChatMessage(ChatRole.User, input.ReadLine()));
                        ChatResponse response = await {|#0:chat.GetResponseAsync(messages)|};
                        messages.Add(response.Messages[0]);
                    }
                }
            }
            """ + WebAndStoreStubs;
        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic("TL4004").WithLocation(0).WithMessage(Message("messages")));
    }

    [Fact]
    public void NoCodeFixIsOffered()
    {
        // How much history a conversation needs is a product decision: no fix guesses it for any shape.
        Assert.DoesNotContain(RuleIdentifiers.HistoryThatOnlyGrows, ExportedRules.FixableIds);
    }
}
