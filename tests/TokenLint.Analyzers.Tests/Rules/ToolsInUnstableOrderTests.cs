using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.ToolsInUnstableOrderAnalyzer,
    TokenLint.CodeFixes.Rules.ToolsInUnstableOrderFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class ToolsInUnstableOrderTests
{
    private static string Message(string source) =>
        $"The request's tools come from {source}, whose order is not guaranteed; tools are the start of the cached prefix, so a different order misses the prompt cache; order them by name";

    [Fact]
    public async Task DictionaryValues_AreReportedAndOrderedByKey()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
                private readonly Dictionary<string, AITool> _tools = new();

                public Task<ChatResponse> RunAsync(IChatClient chat, string question) =>
                    chat.GetResponseAsync(question, new ChatOptions { Tools = [.. {|#0:_tools.Values|}] });
            }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
                private readonly Dictionary<string, AITool> _tools = new();

                public Task<ChatResponse> RunAsync(IChatClient chat, string question) =>
                    chat.GetResponseAsync(question, new ChatOptions { Tools = [.. _tools.OrderBy(entry => entry.Key, global::System.StringComparer.Ordinal).Select(entry => entry.Value)] });
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource, Verify.Diagnostic("TL2002").WithLocation(0).WithMessage(Message("Dictionary<string, AITool>.Values")));
    }

    [Fact]
    public async Task ReflectionInAToolLoop_IsReportedAndOrderedByName()
    {
        const string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            static class Functions
            {
                public static string LookupOrder(string id) => id;
                public static string TrackParcel(string id) => id;
            }

            class Agent
            {
                public Task RunAsync(ChatClient client, string question)
                {
                    var options = new ChatCompletionOptions();
                    foreach (var method in {|#0:typeof(Functions).GetMethods()|})
                    {
                        options.Tools.Add(ChatTool.CreateFunctionTool(method.Name));
                    }

                    return client.CompleteChatAsync([new UserChatMessage(question)], options);
                }
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using System.Linq;

            static class Functions
            {
                public static string LookupOrder(string id) => id;
                public static string TrackParcel(string id) => id;
            }

            class Agent
            {
                public Task RunAsync(ChatClient client, string question)
                {
                    var options = new ChatCompletionOptions();
                    foreach (var method in typeof(Functions).GetMethods().OrderBy(tool => tool.Name, global::System.StringComparer.Ordinal))
                    {
                        options.Tools.Add(ChatTool.CreateFunctionTool(method.Name));
                    }

                    return client.CompleteChatAsync([new UserChatMessage(question)], options);
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource, Verify.Diagnostic("TL2002").WithLocation(0).WithMessage(Message("Type.GetMethods()")));
    }

    [Fact]
    public async Task ConcurrentDictionaryThroughALocalList_IsReported()
    {
        const string source = """
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
                public Task<ChatResponse> RunAsync(IChatClient chat, ConcurrentDictionary<string, AIFunction> registry, string question)
                {
                    var tools = new List<AITool>();
                    foreach (var function in {|#0:registry.Values|})
                    {
                        tools.Add(function);
                    }

                    return chat.GetResponseAsync(question, new ChatOptions { Tools = tools });
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic("TL2002").WithLocation(0).WithMessage(Message("ConcurrentDictionary<string, AIFunction>.Values")));
    }

    [Fact]
    public async Task OrderedOrFixedToolLists_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class Agent
            {
                private readonly Dictionary<string, AITool> _tools = new();
                private readonly List<AITool> _list = new();

                public async Task RunAsync(IChatClient chat, AITool search, AITool lookup, string question)
                {
                    await chat.GetResponseAsync(question, new ChatOptions { Tools = [.. _tools.Values.OrderBy(t => t.Name)] });
                    await chat.GetResponseAsync(question, new ChatOptions { Tools = [search, lookup] });
                    await chat.GetResponseAsync(question, new ChatOptions { Tools = _list });

                    var sorted = new List<AITool>(_tools.Values);
                    sorted.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                    await chat.GetResponseAsync(question, new ChatOptions { Tools = sorted });

                    // Enumerating a dictionary for something other than tools is not this rule's business.
                    var names = string.Join(",", _tools.Keys);
                    await chat.GetResponseAsync(names);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
