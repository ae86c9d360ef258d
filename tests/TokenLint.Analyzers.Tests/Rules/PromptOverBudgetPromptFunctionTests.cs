using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PromptOverBudgetAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL4001 on Semantic Kernel prompt templates: the template's text and the constant values the arguments fill in.</summary>
public sealed class PromptOverBudgetPromptFunctionTests
{
    private static readonly string Policy = string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", 260));

    private static string Tokens(string text) => TokenCounter.Count(text).Value.ToString("N0", CultureInfo.InvariantCulture);

    [Fact]
    public async Task LongTemplatesAndConstantValues_AreReported()
    {
        string source = """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            class Support
            {
                private const string {|#0:Template = "POLICY\nQuestion: {{$question}}"|};
                private const string Policy = "POLICY";

                public async Task AnswerAsync(string apiKey, string question)
                {
                    var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", apiKey).Build();
                    var answer = kernel.CreateFunctionFromPrompt(Template);
                    await kernel.InvokeAsync(answer, new() { ["question"] = question });

                    // A short template whose argument is the long constant.
                    await kernel.InvokePromptAsync({|#1:"{{$policy}}\nQuestion: {{$question}}"|}, new() { ["policy"] = Policy, ["question"] = question });
                }

                // A function handed to a plugin.
                public void Register(Kernel kernel) =>
                    kernel.ImportPluginFromFunctions("support", [kernel.CreateFunctionFromPrompt({|#2:"Order: {{$order}}\n" + Policy|})]);
            }
            """.Replace("POLICY", Policy);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL4001").WithLocation(0).WithMessage($"This prompt has {Tokens(Policy + "\nQuestion: ")} tokens, over the budget of 4,000"),
            Verify.Diagnostic("TL4001").WithLocation(1).WithMessage(PromptOverBudgetTests.OverBudgetAtGpt4o(Policy + "\nQuestion: ")),
            Verify.Diagnostic("TL4001").WithLocation(2).WithMessage($"This prompt has {Tokens("Order: \n" + Policy)} tokens, over the budget of 4,000"));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        string source = """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            class Support
            {
                public async Task AnswerAsync(Kernel kernel, string document, string question)
                {
                    // Short templates; a long document that arrives per request is not the prompt's own text.
                    await kernel.InvokePromptAsync("Summarise:\n{{$document}}", new() { ["document"] = document });
                    var answer = kernel.CreateFunctionFromPrompt("Answer briefly: {{$question}}");
                    await kernel.InvokeAsync(answer, new() { ["question"] = question });

                    // A template the kernel rejects is never sent.
                    await kernel.InvokePromptAsync("POLICY {{$not valid}}");
                }
            }
            """.Replace("POLICY", Policy);
        await Verify.VerifyAnalyzerAsync(source);
    }
}
