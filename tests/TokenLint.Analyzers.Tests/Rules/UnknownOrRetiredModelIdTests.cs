using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.UnknownOrRetiredModelIdAnalyzer,
    TokenLint.CodeFixes.Rules.UnknownOrRetiredModelIdFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class UnknownOrRetiredModelIdTests
{
    [Fact]
    public async Task OpenAITypo_IsReportedAndFixed()
    {
        const string source = """
            using OpenAI;
            using OpenAI.Chat;

            class Clients
            {
                public ChatClient Direct(string apiKey) => new ChatClient({|#0:"gpt-4o-mnii"|}, apiKey);

                public ChatClient FromFactory(string apiKey) => new OpenAIClient(apiKey).GetChatClient({|#1:"GPT-4o"|});
            }
            """;
        const string fixedSource = """
            using OpenAI;
            using OpenAI.Chat;

            class Clients
            {
                public ChatClient Direct(string apiKey) => new ChatClient("gpt-4o-mini", apiKey);

                public ChatClient FromFactory(string apiKey) => new OpenAIClient(apiKey).GetChatClient("gpt-4o");
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1002").WithLocation(0).WithLocation(0).WithMessage("'gpt-4o-mnii' is not a known OpenAI model id; did you mean 'gpt-4o-mini'?"),
            Verify.Diagnostic("TL1002").WithLocation(1).WithLocation(1).WithMessage("'GPT-4o' is not a known OpenAI model id; did you mean 'gpt-4o'?"));
    }

    [Fact]
    public async Task AnthropicTypos_AreReportedAndFixed()
    {
        const string source = """
            using Anthropic;
            using Anthropic.Models.Messages;

            class Requests
            {
                public void Misspelt(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = {|#0:"claude-sonet-4-6"|}, MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });

                public void Dotted(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = {|#1:"claude-sonnet-4.6"|}, MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });
            }
            """;
        const string fixedSource = """
            using Anthropic;
            using Anthropic.Models.Messages;

            class Requests
            {
                public void Misspelt(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = "claude-sonnet-4-6", MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });

                public void Dotted(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = "claude-sonnet-4-6", MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1002").WithLocation(0).WithLocation(0).WithMessage("'claude-sonet-4-6' is not a known Anthropic model id; did you mean 'claude-sonnet-4-6'?"),
            Verify.Diagnostic("TL1002").WithLocation(1).WithLocation(1).WithMessage("'claude-sonnet-4.6' is not a known Anthropic model id; did you mean 'claude-sonnet-4-6'?"));
    }

    [Fact]
    public async Task RetiredAndDeprecatedModels_AreReported()
    {
        const string source = """
            using Anthropic;
            using Anthropic.Models.Messages;

            class Requests
            {
                public void Retired(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = {|#0:"claude-opus-4-1"|}, MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });

                public void Deprecated(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = {|#1:"claude-sonnet-4-5"|}, MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });
            }
            """;
        const string fixedSource = """
            using Anthropic;
            using Anthropic.Models.Messages;

            class Requests
            {
                public void Retired(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = "claude-opus-4-8", MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });

                public void Deprecated(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = "claude-sonnet-5-5", MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1002").WithLocation(0).WithLocation(0).WithMessage("'claude-opus-4-1' is retired: every call fails; use 'claude-opus-4-8'"),
            Verify.Diagnostic("TL1002").WithLocation(1).WithLocation(1).WithMessage("'claude-sonnet-4-5' reaches end of life on 2026-11-30; migrate to 'claude-sonnet-5-5'"));
    }

    [Fact]
    public async Task ReportDeprecatedOption_KeepsOnlyRetiredModels()
    {
        const string source = """
            using Anthropic;
            using Anthropic.Models.Messages;

            class Requests
            {
                public void Deprecated(AnthropicClient client, string ticket) => client.Messages.Create(new() { Model = "claude-sonnet-4-5", MaxTokens = 500, Messages = [new UserMessageParam(ticket)] });
            }
            """;
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.tl1002.report_deprecated = false");
    }

    [Fact]
    public async Task SharedConstant_IsReportedAtEachUseAndFixedOnce()
    {
        const string source = """
            using OpenAI.Chat;
            using Microsoft.SemanticKernel;

            class Setup
            {
                private const string Model = {|#2:"gpt-4o-mnii"|};

                public ChatClient Client(string apiKey) => new ChatClient({|#0:Model|}, apiKey);

                public Kernel Kernel(string apiKey) => Microsoft.SemanticKernel.Kernel.CreateBuilder().AddOpenAIChatCompletion({|#1:Model|}, apiKey).Build();
            }
            """;
        const string fixedSource = """
            using OpenAI.Chat;
            using Microsoft.SemanticKernel;

            class Setup
            {
                private const string Model = "gpt-4o-mini";

                public ChatClient Client(string apiKey) => new ChatClient(Model, apiKey);

                public Kernel Kernel(string apiKey) => Microsoft.SemanticKernel.Kernel.CreateBuilder().AddOpenAIChatCompletion(Model, apiKey).Build();
            }
            """;
        const string message = "'gpt-4o-mnii' is not a known OpenAI model id; did you mean 'gpt-4o-mini'?";
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1002").WithLocation(0).WithLocation(2).WithMessage(message),
            Verify.Diagnostic("TL1002").WithLocation(1).WithLocation(2).WithMessage(message));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        const string source = """
            using System;
            using System.ClientModel;
            using Anthropic.Models.Messages;
            using Azure.AI.OpenAI;
            using Microsoft.SemanticKernel;
            using OpenAI;
            using OpenAI.Chat;

            class NearMisses
            {
                public void Create(string apiKey, string configured)
                {
                    // Known ids, dated snapshots and served models the catalog does not price.
                    _ = new ChatClient("gpt-4o-mini", apiKey);
                    _ = new ChatClient("gpt-4o-2024-08-06", apiKey);
                    _ = new ChatClient("gpt-4", apiKey);
                    _ = new ChatClient("o3-pro", apiKey);
                    // A newer model than the catalog knows: different digits are not a typo.
                    _ = new ChatClient("gpt-5.2", apiKey);
                    _ = new ChatClient("gpt-6", apiKey);
                    // Fine-tuned and routed ids.
                    _ = new ChatClient("ft:gpt-4o-mini:acme::abc123", apiKey);
                    _ = new ChatClient("openai/gpt-4o-mnii", apiKey);
                    // Azure deployment names and custom endpoints are the user's own names.
                    _ = new AzureOpenAIClient(new Uri("https://contoso.openai.azure.com"), new ApiKeyCredential(apiKey)).GetChatClient("gpt-4o-mnii");
                    _ = new ChatClient("gpt-4o-mnii", new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = new Uri("http://localhost:8000/v1") });
                    _ = Kernel.CreateBuilder().AddOpenAIChatCompletion("llama3.1", new Uri("http://localhost:11434/v1"), apiKey);
                    // Not known at build time.
                    _ = new ChatClient(configured, apiKey);
                    // SDK enum members: the compiler's [Obsolete] warning covers retiring ones.
                    _ = new MessageCreateParams { Model = Model.ClaudeOpus4_6, MaxTokens = 10, Messages = [new UserMessageParam("hi")] };
                    // Parameters built apart from any call may go to Foundry or Bedrock, where names differ.
                    _ = new MessageCreateParams { Model = "claude-opus-4-1", MaxTokens = 10, Messages = [new UserMessageParam("hi")] };
                    // Bedrock and Vertex spellings.
                    _ = new MessageCreateParams { Model = "anthropic.claude-opus-4-6-v1:0", MaxTokens = 10, Messages = [new UserMessageParam("hi")] };
                    _ = new MessageCreateParams { Model = "claude-opus-4-6@20260101", MaxTokens = 10, Messages = [new UserMessageParam("hi")] };
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task KnownModelIdsOption_AcceptsPrivateIds()
    {
        const string source = """
            using OpenAI.Chat;

            class C
            {
                public ChatClient Create(string apiKey) => new ChatClient("gpt-4o-mino", apiKey);
            }
            """;
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.tl1002.known_model_ids = gpt-4o-mino, my-other-model");
    }

    [Fact]
    public async Task OtherKnownIdsOfACatalogOverride_AreNotTypos_AndAreNeverSuggested()
    {
        // "gpt-4o-mino" is one edit from gpt-4o-mini (reported without the file, see the test above); the file
        // lists it as served. "gpt-4o-transcrib" is one edit from gpt-4o-transcribe, a built-in other known id,
        // which is not suggested.
        var test = new Verify.Test
        {
            TestCode = """
                using OpenAI.Chat;

                class C
                {
                    public ChatClient Private(string apiKey) => new ChatClient("gpt-4o-mino", apiKey);

                    public ChatClient Transcriber(string apiKey) => new ChatClient("gpt-4o-transcrib", apiKey);
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.models.json", """{ "otherKnownIds": [ "gpt-4o-mino" ], "models": [] }"""));
        await test.RunAsync();
    }
}
