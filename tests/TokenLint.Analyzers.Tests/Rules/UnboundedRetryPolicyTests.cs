using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.UnboundedRetryPolicyAnalyzer,
    TokenLint.CodeFixes.Rules.UnboundedRetryPolicyFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class UnboundedRetryPolicyTests
{
    private const string Suffix = ": a failing or looping model call is repeated without end, and every attempt is billed; set a finite bound";

    [Fact]
    public async Task PollyRetryForeverAroundAModelCall_IsReportedAndBounded()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using Polly;

            class Agent
            {
                private readonly ChatClient _client = new("gpt-4o-mini", "key");

                public Task<System.ClientModel.ClientResult<ChatCompletion>> AskAsync(string question)
                {
                    var policy = Policy.Handle<Exception>().{|#0:WaitAndRetryForeverAsync|}(attempt => TimeSpan.FromSeconds(attempt));
                    return policy.ExecuteAsync(() => _client.CompleteChatAsync(new UserChatMessage(question)));
                }

                public void Sync(string question) =>
                    Policy.Handle<Exception>().{|#1:RetryForever|}().Execute(() => _client.CompleteChat(new UserChatMessage(question)));
            }
            """;
        const string fixedSource = """
            using System;
            using System.Threading.Tasks;
            using OpenAI.Chat;
            using Polly;

            class Agent
            {
                private readonly ChatClient _client = new("gpt-4o-mini", "key");

                public Task<System.ClientModel.ClientResult<ChatCompletion>> AskAsync(string question)
                {
                    var policy = Policy.Handle<Exception>().WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt));
                    return policy.ExecuteAsync(() => _client.CompleteChatAsync(new UserChatMessage(question)));
                }

                public void Sync(string question) =>
                    Policy.Handle<Exception>().Retry(3).Execute(() => _client.CompleteChat(new UserChatMessage(question)));
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL3002").WithLocation(0).WithMessage("'WaitAndRetryForeverAsync' retries without a limit (use 'WaitAndRetryAsync(3, …)')" + Suffix),
            Verify.Diagnostic("TL3002").WithLocation(1).WithMessage("'RetryForever' retries without a limit (use 'Retry(3, …)')" + Suffix));
    }

    [Fact]
    public async Task PollyV8MaxRetryAttemptsAndFunctionInvocationCaps_AreReportedAndBounded()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Polly;
            using Polly.Retry;

            class Agent
            {
                private readonly IChatClient _chat;
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = {|#0:int.MaxValue|} })
                    .Build();

                public Agent(IChatClient inner)
                {
                    _chat = new ChatClientBuilder(inner)
                        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = {|#1:int.MaxValue|})
                        .Build();
                }

                public ValueTask<ChatResponse> AskAsync(string question) =>
                    _pipeline.ExecuteAsync(async ct => await _chat.GetResponseAsync(question, cancellationToken: ct));
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Polly;
            using Polly.Retry;

            class Agent
            {
                private readonly IChatClient _chat;
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3 })
                    .Build();

                public Agent(IChatClient inner)
                {
                    _chat = new ChatClientBuilder(inner)
                        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 40)
                        .Build();
                }

                public ValueTask<ChatResponse> AskAsync(string question) =>
                    _pipeline.ExecuteAsync(async ct => await _chat.GetResponseAsync(question, cancellationToken: ct));
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL3002").WithLocation(0).WithMessage("MaxRetryAttempts = int.MaxValue retries without a practical limit" + Suffix),
            Verify.Diagnostic("TL3002").WithLocation(1).WithMessage("MaximumIterationsPerRequest = int.MaxValue lets one request call the model again and again" + Suffix));
    }

    [Fact]
    public async Task RetryForeverWithACallback_IsReportedWithoutAFix()
    {
        // Retry(3, (ex, ctx) => …) would bind the callback's second parameter to the attempt number.
        const string source = """
            using System;
            using OpenAI.Chat;
            using Polly;

            class Agent
            {
                private readonly ChatClient _client = new("gpt-4o-mini", "key");

                public void Ask(string question) =>
                    Policy.Handle<Exception>().{|#0:RetryForever|}((Exception exception, Context context) => Console.WriteLine(exception.Message))
                        .Execute(() => _client.CompleteChat(new UserChatMessage(question)));
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL3002").WithLocation(0).WithMessage("'RetryForever' retries without a limit (use 'Retry(3, …)')" + Suffix));
    }

    [Fact]
    public async Task AnthropicToolRunnerWithoutIterationLimit_IsReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic;
            using Anthropic.Helpers.Beta;
            using Anthropic.Models.Beta.Messages;

            class Agent
            {
                public async Task RunAsync(AnthropicClient client, MessageCreateParams parameters, IReadOnlyList<IBetaRunnableTool> tools, BetaMessageThread thread)
                {
                    await client.Beta.Messages.{|#0:ToolRunner|}(parameters, tools).RunUntilDoneAsync();
                    await client.Beta.Messages.{|#1:ToolRunner|}(parameters, tools, maxIterations: null).RunUntilDoneAsync();
                    await thread.{|#2:ToolRunner|}(tools).RunUntilDoneAsync();

                    // Near misses: a limit, or a limit from elsewhere.
                    await client.Beta.Messages.ToolRunner(parameters, tools, maxIterations: 10).RunUntilDoneAsync();
                    await client.Beta.Messages.ToolRunner(parameters, tools, false, 20).RunUntilDoneAsync();
                    await thread.ToolRunner(tools, parameters.MaxTokens > 0 ? 5 : 10).RunUntilDoneAsync();
                }
            }
            """;
        const string runner = "'ToolRunner' without maxIterations creates a tool runner that calls the model until it stops asking for tools";
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL3002").WithLocation(0).WithMessage(runner + Suffix),
            Verify.Diagnostic("TL3002").WithLocation(1).WithMessage(runner + Suffix),
            Verify.Diagnostic("TL3002").WithLocation(2).WithMessage(runner + Suffix));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        const string source = """
            using System;
            using System.Net.Http;
            using Microsoft.Extensions.AI;
            using Polly;
            using Polly.Retry;

            // A forever retry that wraps no model call is someone else's concern.
            class Poller
            {
                private readonly HttpClient _http = new();

                public string Get() => Policy.Handle<Exception>().RetryForever().Execute(() => _http.GetStringAsync("http://localhost/").Result);
            }

            class Bounded
            {
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 5 })
                    .Build();

                public IChatClient Build(IChatClient inner) =>
                    new ChatClientBuilder(inner).UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 20).Build();

                public void Ask(IChatClient chat) => _pipeline.Execute(() => chat.GetResponseAsync("hi").Result);
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task ThresholdOptions_AreRead()
    {
        const string source = """
            using Microsoft.Extensions.AI;

            class Agent
            {
                public IChatClient Build(IChatClient inner) =>
                    new ChatClientBuilder(inner).UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = {|#0:60|}).Build();
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
        await Verify.VerifyAnalyzerAsync(source, "tokenlint.tl3002.max_iterations = 50",
            Verify.Diagnostic("TL3002").WithLocation(0).WithMessage("MaximumIterationsPerRequest = 60 lets one request call the model again and again" + Suffix));
    }
}
