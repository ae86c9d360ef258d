using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PremiumModelOnTrivialCallAnalyzer,
    TokenLint.CodeFixes.Rules.PremiumModelOnTrivialCallFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL1001 on Semantic Kernel prompt functions: the kernel's model, the settings' output limit, the rendered template.</summary>
public sealed class PremiumModelOnTrivialPromptFunctionTests
{
    private const string Gpt4oMessage = "'gpt-4o' is a premium model on a trivial call ({0}); 'gpt-4o-mini' costs 16.7x less per input token";

    [Fact]
    public async Task PromptFunctionsOnAPremiumModel_AreReported()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            class Triage
            {
                public async Task RunAsync(string apiKey, string ticket)
                {
                    var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", apiKey).Build();

                    // Settings on the function, sent by kernel.InvokeAsync, function.InvokeAsync and streaming.
                    var urgent = kernel.CreateFunctionFromPrompt("Is this ticket urgent? {{$ticket}}", new OpenAIPromptExecutionSettings { MaxTokens = 3 });
                    await kernel.{|#0:InvokeAsync|}(urgent, new() { ["ticket"] = ticket });
                    await urgent.{|#1:InvokeAsync|}(kernel, new KernelArguments { ["ticket"] = ticket });
                    await foreach (var update in kernel.{|#2:InvokeStreamingAsync|}(urgent, new() { ["ticket"] = ticket })) { }

                    // Settings in the arguments, as extension data, on a function from the factory.
                    var team = KernelFunctionFactory.CreateFromPrompt("Which team owns this ticket? {{$ticket}}");
                    await kernel.{|#3:InvokeAsync|}(team, new(new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 5 } }) { ["ticket"] = ticket });

                    // A template whose only value is a constant: a short constant prompt.
                    await kernel.{|#4:InvokePromptAsync|}("Say hello to {{ $name }}", new() { ["name"] = "Ann" });
                    await foreach (var update in kernel.{|#5:InvokePromptStreamingAsync|}("Reply with one word: {{'hello'}}")) { }

                    // A function handed to a plugin: the creation defines what the kernel will send.
                    kernel.ImportPluginFromFunctions("triage", [kernel.{|#6:CreateFunctionFromPrompt|}("Route the ticket: {{$input}}", new OpenAIPromptExecutionSettings { MaxTokens = 2 })]);
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL1001").WithLocation(0).WithMessage(string.Format(Gpt4oMessage, "output limited to 3 tokens")),
            Verify.Diagnostic("TL1001").WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "output limited to 3 tokens")),
            Verify.Diagnostic("TL1001").WithLocation(2).WithMessage(string.Format(Gpt4oMessage, "output limited to 3 tokens")),
            Verify.Diagnostic("TL1001").WithLocation(3).WithMessage(string.Format(Gpt4oMessage, "output limited to 5 tokens")),
            Verify.Diagnostic("TL1001").WithLocation(4).WithMessage(string.Format(Gpt4oMessage, "the request is only a 16-character constant prompt")),
            Verify.Diagnostic("TL1001").WithLocation(5).WithMessage(string.Format(Gpt4oMessage, "the request is only a 26-character constant prompt")),
            Verify.Diagnostic("TL1001").WithLocation(6).WithMessage(string.Format(Gpt4oMessage, "output limited to 2 tokens")));
    }

    [Fact]
    public async Task KernelWithOneUse_IsFixedToTheSibling()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            class Triage
            {
                public Task<FunctionResult> IsUrgentAsync(string apiKey, string ticket) =>
                    Kernel.CreateBuilder().AddOpenAIChatCompletion({|#1:"gpt-4o"|}, apiKey).Build()
                        .{|#0:InvokePromptAsync|}("Is this urgent? {{$ticket}}", new(new OpenAIPromptExecutionSettings { MaxTokens = 1 }) { ["ticket"] = ticket });
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            class Triage
            {
                public Task<FunctionResult> IsUrgentAsync(string apiKey, string ticket) =>
                    Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o-mini", apiKey).Build()
                        .InvokePromptAsync("Is this urgent? {{$ticket}}", new(new OpenAIPromptExecutionSettings { MaxTokens = 1 }) { ["ticket"] = ticket });
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(string.Format(Gpt4oMessage, "output limited to 1 tokens")));
    }

    /// <summary>A kernel built with two services sends to the last one unless the settings name another service id
    /// or model id (the kernel's service selector); settings the code does not show may name either. A kernel with
    /// one service serves every call it sends (its one use is the fix's location).</summary>
    [Fact]
    public async Task KernelWithSeveralServices_IsJudgedOnTheServiceTheSettingsSelect()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            class Greeter
            {
                public async Task RunAsync(string apiKey, PromptExecutionSettings fromConfiguration)
                {
                    var kernel = Kernel.CreateBuilder()
                        .AddOpenAIChatCompletion("gpt-4o-mini", apiKey, serviceId: "mini")
                        .AddOpenAIChatCompletion("gpt-4o", apiKey, serviceId: "large")
                        .Build();

                    // No settings, the default service id, or settings naming the last registration: gpt-4o.
                    await kernel.{|#0:InvokePromptAsync|}("Say hello to the user.");
                    await kernel.{|#1:InvokePromptAsync|}("Say hello to the user.", new(new OpenAIPromptExecutionSettings { ServiceId = "large" }));
                    await kernel.{|#2:InvokePromptAsync|}("Say hello to the user.", new(new OpenAIPromptExecutionSettings { ModelId = "gpt-4o" }));
                    await kernel.{|#3:InvokePromptAsync|}("Say hello to the user.", new(new PromptExecutionSettings { ServiceId = PromptExecutionSettings.DefaultServiceId }));

                    // Settings naming the first registration by service id or model id, or settings from elsewhere: not known.
                    await kernel.InvokePromptAsync("Say hello to the user.", new(new OpenAIPromptExecutionSettings { ServiceId = "mini" }));
                    await kernel.InvokePromptAsync("Say hello to the user.", new(new OpenAIPromptExecutionSettings { ModelId = "gpt-4o-mini" }));
                    var greeting = kernel.CreateFunctionFromPrompt("Say hello to the user.", new OpenAIPromptExecutionSettings { ServiceId = "mini" });
                    await kernel.InvokeAsync(greeting);
                    await kernel.InvokePromptAsync("Say hello to the user.", new(fromConfiguration));

                    // A builder whose first registration is followed by another: the last one serves.
                    var builder = Kernel.CreateBuilder();
                    builder.AddOpenAIChatCompletion("gpt-4o", apiKey).AddOpenAIChatCompletion("gpt-4o-mini", apiKey);
                    await builder.Build().InvokePromptAsync("Say hello to the user.");

                    // One service serves every call the kernel sends: a model id no service serves falls back to it.
                    var single = Kernel.CreateBuilder().AddOpenAIChatCompletion({|#5:"gpt-4o"|}, apiKey, serviceId: "large").Build();
                    await single.{|#4:InvokePromptAsync|}("Say hello to the user.", new(new OpenAIPromptExecutionSettings { ModelId = "gpt-4o-mini" }));
                }
            }
            """;
        const string message = "the request is only a 22-character constant prompt";
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL1001").WithLocation(0).WithMessage(string.Format(Gpt4oMessage, message)),
            Verify.Diagnostic("TL1001").WithLocation(1).WithMessage(string.Format(Gpt4oMessage, message)),
            Verify.Diagnostic("TL1001").WithLocation(2).WithMessage(string.Format(Gpt4oMessage, message)),
            Verify.Diagnostic("TL1001").WithLocation(3).WithMessage(string.Format(Gpt4oMessage, message)),
            Verify.Diagnostic("TL1001").WithLocation(4).WithLocation(5).WithMessage(string.Format(Gpt4oMessage, message)));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        const string source = """
            using System.Threading.Tasks;
            using System;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            class NearMisses
            {
                public async Task RunAsync(string apiKey, string name, string ticket, Kernel injected)
                {
                    var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", apiKey).Build();

                    // The value comes from a parameter, the template calls a function, or the limit is not small.
                    await kernel.InvokePromptAsync("Say hello to {{$name}}", new() { ["name"] = name });
                    await kernel.InvokePromptAsync("Say hello {{time.Now}}");
                    var summary = kernel.CreateFunctionFromPrompt("Summarise {{$ticket}}", new OpenAIPromptExecutionSettings { MaxTokens = 400 });
                    await kernel.InvokeAsync(summary, new() { ["ticket"] = ticket });

                    // A cheap model with a small limit; a model id read from configuration; a kernel from elsewhere.
                    var mini = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o-mini", apiKey).Build();
                    await mini.InvokePromptAsync("Is this urgent? {{$ticket}}", new(new OpenAIPromptExecutionSettings { MaxTokens = 1 }) { ["ticket"] = ticket });
                    var configured = Kernel.CreateBuilder().AddOpenAIChatCompletion(Environment.GetEnvironmentVariable("OPENAI_MODEL")!, apiKey).Build();
                    await configured.InvokePromptAsync("Is this urgent? {{$ticket}}", new(new OpenAIPromptExecutionSettings { MaxTokens = 1 }) { ["ticket"] = ticket });
                    await injected.InvokePromptAsync("Is this urgent? {{$ticket}}", new(new OpenAIPromptExecutionSettings { ModelId = "gpt-4o", MaxTokens = 1 }) { ["ticket"] = ticket });

                    // The settings name gpt-4o, but the kernel's one service serves gpt-4o-mini.
                    await mini.InvokePromptAsync("Is this urgent? {{$ticket}}", new(new OpenAIPromptExecutionSettings { ModelId = "gpt-4o", MaxTokens = 1 }) { ["ticket"] = ticket });

                    // A function that is not a prompt function.
                    await kernel.InvokeAsync(KernelFunctionFactory.CreateFromMethod(() => "hi"));
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
