using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Catalog;
using TokenLint.Tests;

namespace TokenLint.Analysis.Tests;

/// <summary>What the call-site catalog finds in code compiled against the real SDK packages.</summary>
public sealed class ModelCallSiteCatalogTests
{
    [Fact]
    public void OpenAIChat_ModelFromFieldCreatedClient_OptionsFromLocal_MessagesFromList()
    {
        var site = Single("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class C
            {
                private const string Model = "gpt-4o";
                private readonly ChatClient _client = new(Model, "key");

                public async Task RunAsync(string question)
                {
                    var options = new ChatCompletionOptions();
                    options.MaxOutputTokenCount = 12;
                    var messages = new List<ChatMessage> { new SystemChatMessage("You are terse.") };
                    messages.Add(new UserChatMessage(question));
                    await foreach (var update in _client.CompleteChatStreamingAsync(messages, options)) { }
                }
            }
            """);

        Assert.Equal(LlmSdk.OpenAIChat, site.Sdk);
        Assert.True(site.IsStreaming);
        Assert.Equal("gpt-4o", site.Model?.Id);
        Assert.Equal(ServiceKind.FirstParty, site.Model?.Service);
        Assert.True(site.Model?.IsSharedWithOtherCalls, "a constant's literal is shared");
        Assert.Equal(12, site.MaxOutputTokens?.Value);
        Assert.Equal(new (PromptRole, string?)[] { (PromptRole.System, "You are terse."), (PromptRole.User, null) }, site.PromptParts.Select(p => (p.Role, p.ConstantText)));
    }

    [Fact]
    public void AzureDeployment_IsNotAModelId()
    {
        var site = Single("""
            using System;
            using System.ClientModel;
            using Azure.AI.OpenAI;

            class C
            {
                public void Run() =>
                    new AzureOpenAIClient(new Uri("https://x.openai.azure.com"), new ApiKeyCredential("k")).GetChatClient("gpt-4o").CompleteChat("hi");
            }
            """);

        Assert.Equal(ServiceKind.AzureDeployment, site.Model?.Service);
    }

    [Fact]
    public void Anthropic_ModelEnumAndSystemBlocks()
    {
        var site = Single("""
            using System.Collections.Generic;
            using Anthropic;
            using Anthropic.Models.Messages;

            class C
            {
                public void Run(AnthropicClient client) =>
                    client.Messages.Create(new MessageCreateParams
                    {
                        Model = Model.ClaudeSonnet4_6,
                        MaxTokens = 1024,
                        System = new List<TextBlockParam> { new("Static instructions.") { CacheControl = new CacheControlEphemeral() } },
                        Messages = [new UserMessageParam("Question?")],
                    });
            }
            """);

        Assert.Equal(LlmSdk.Anthropic, site.Sdk);
        Assert.Equal("claude-sonnet-4-6", site.Model?.Id);
        Assert.True(site.Model?.IsEnumMember);
        Assert.Equal(1024, site.MaxOutputTokens?.Value);
        Assert.Equal(new (PromptRole, string?)[] { (PromptRole.System, "Static instructions."), (PromptRole.User, "Question?") }, site.PromptParts.Select(p => (p.Role, p.ConstantText)));
    }

    [Fact]
    public void ExtensionsAI_AnthropicAdapterDefaultsAndStructuredOutput()
    {
        var site = Single("""
            using System.Threading.Tasks;
            using Anthropic;
            using Microsoft.Extensions.AI;

            class C
            {
                public async Task RunAsync()
                {
                    IChatClient chat = new AnthropicClient().AsIChatClient("claude-opus-4-6", defaultMaxOutputTokens: 20);
                    await chat.GetResponseAsync<int>([new ChatMessage(ChatRole.System, "Count the items."), new ChatMessage(ChatRole.User, "a, b")]);
                }
            }
            """);

        Assert.Equal(LlmSdk.MicrosoftExtensionsAI, site.Sdk);
        Assert.Equal("claude-opus-4-6", site.Model?.Id);
        Assert.Equal(ModelProvider.Anthropic, site.Model?.Provider);
        Assert.Equal(20, site.MaxOutputTokens?.Value);
        Assert.Equal(SpecialType.System_Int32, site.StructuredOutputType?.SpecialType);
        Assert.Equal(new (PromptRole, string?)[] { (PromptRole.System, "Count the items."), (PromptRole.User, "a, b") }, site.PromptParts.Select(p => (p.Role, p.ConstantText)));
    }

    [Fact]
    public void SemanticKernel_BuilderStatementsAndChatHistory()
    {
        var site = Single("""
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            class C
            {
                public async Task RunAsync()
                {
                    var builder = Kernel.CreateBuilder();
                    builder.AddOpenAIChatCompletion(modelId: "gpt-4.1", apiKey: "k");
                    var kernel = builder.Build();
                    var chat = kernel.GetRequiredService<IChatCompletionService>();
                    var history = new ChatHistory("Be brief.");
                    history.AddUserMessage("Hello");
                    await chat.GetChatMessageContentAsync(history);
                }
            }
            """);

        Assert.Equal(LlmSdk.SemanticKernel, site.Sdk);
        Assert.Equal("gpt-4.1", site.Model?.Id);
        Assert.Equal(ServiceKind.FirstParty, site.Model?.Service);
        Assert.Equal(new (PromptRole, string?)[] { (PromptRole.System, "Be brief."), (PromptRole.User, "Hello") }, site.PromptParts.Select(p => (p.Role, p.ConstantText)));
    }

    [Fact]
    public void UnknownModels_StayUnknown()
    {
        var sites = All("""
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            class C
            {
                private ChatClient _reassigned = new("gpt-4o", "k");

                public void Swap() => _reassigned = new("gpt-4o-mini", "k");

                public async Task RunAsync(IChatClient injected, string model)
                {
                    await injected.GetResponseAsync("hi");
                    await new ChatClient(model, "k").CompleteChatAsync(new UserChatMessage("hi"));
                    await _reassigned.CompleteChatAsync(new UserChatMessage("hi"));
                }
            }
            """);

        Assert.Equal(3, sites.Count);
        Assert.All(sites, site => Assert.Null(site.Model?.Id));
    }

    [Fact]
    public void ModelIdSinks_AreFoundWhetherOrNotTheClientIsCalled()
    {
        var (compilation, tree) = Compile("""
            using Anthropic.Models.Messages;
            using OpenAI;
            using OpenAI.Chat;

            class C
            {
                public object[] Clients() => new object[]
                {
                    new ChatClient("a", "k"),
                    new OpenAIClient("k").GetChatClient("b"),
                    new MessageCreateParams { Model = "c", MaxTokens = 1, Messages = [] },
                };
            }
            """);
        var catalog = new ModelCallSiteCatalog(SdkTypes.Resolve(compilation)!, ModelCatalog.BuiltIn);
        var model = compilation.GetSemanticModel(tree);
        var ids = tree.GetRoot().DescendantNodes()
            .Select(node => model.GetOperation(node))
            .Where(operation => operation is not null && catalog.TryGetModelIdSink(operation, out _))
            .Select(operation => { catalog.TryGetModelIdSink(operation!, out var sink); return catalog.ResolveModel(sink)?.Id; })
            .ToArray();

        Assert.Equal(new[] { "a", "b", "c" }, ids);
    }

    [Fact]
    public void LonePrompts_AndWhatARequestCarriesThatThePartsDoNotShow()
    {
        var sites = All("""
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using OpenAI.Chat;

            class C
            {
                public async Task RunAsync(ChatCompletionOptions injected, ChatTool tool)
                {
                    new ChatClient("gpt-4o", "k").CompleteChat("hi there");
                    new ChatClient("gpt-4o", "k").CompleteChat([new UserChatMessage("x")], injected);
                    new ChatClient("gpt-4o", "k").CompleteChat([new UserChatMessage("x")], new ChatCompletionOptions { Tools = { tool } });
                    await new ChatClient("gpt-4o", "k").AsIChatClient().GetResponseAsync("x", new ChatOptions { Instructions = "y" });
                    var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", "k").Build();
                    await kernel.InvokePromptAsync("Hi {{$name}}");
                    await kernel.InvokePromptAsync("Hi");
                }
            }
            """);

        Assert.Equal(new (PromptRole, string?)[] { (PromptRole.User, "hi there") }, sites[0].PromptParts.Select(p => (p.Role, p.ConstantText)));
        Assert.Equal(new[] { false, true, false, true, true, false }, sites.Select(s => s.CarriesUnseenContent));
        Assert.True(sites[2].HasTools);
    }

    [Fact]
    public void CompilationWithoutAnySdk_HasNoSdkTypes()
    {
        var compilation = CSharpCompilation.Create("plain", new[] { CSharpSyntaxTree.ParseText("class C { }") }, SdkReferences.Framework);
        Assert.Null(SdkTypes.Resolve(compilation));
    }

    private static ModelCallSite Single(string source) => Assert.Single(All(source));

    internal static List<ModelCallSite> All(string source)
    {
        var (compilation, tree) = Compile(source);
        var catalog = new ModelCallSiteCatalog(SdkTypes.Resolve(compilation)!, ModelCatalog.BuiltIn);
        var model = compilation.GetSemanticModel(tree);
        var sites = new List<ModelCallSite>();
        foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (model.GetOperation(invocation) is IInvocationOperation operation && catalog.TryGetCallSite(operation, out var site))
            {
                sites.Add(site);
            }
        }

        return sites;
    }

    internal static (Compilation Compilation, SyntaxTree Tree) Compile(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "test",
            new[] { tree },
            SdkReferences.Framework.Concat(SdkReferences.Sdk),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(SdkReferences.SuppressedWarnings));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
        return (compilation, tree);
    }
}
