using System.Threading.Tasks;
using static TokenLint.Analyzers.Tests.Rules.VolatileValueBeforeCacheablePrefixTests;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.VolatileValueBeforeCacheablePrefixAnalyzer,
    TokenLint.CodeFixes.Rules.VolatileValueBeforeCacheablePrefixFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL2001 on Semantic Kernel prompt templates: values the arguments fill in, and variables the code does not fill in.</summary>
public sealed class VolatileValueBeforeCacheablePromptFunctionTests
{
    [Fact]
    public async Task ValuesBeforeTheStaticTemplateText_AreReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            class Support
            {
            POLICY

                public async Task AnswerAsync(Kernel kernel, string customer, string question)
                {
                    // The clock through the arguments of kernel.InvokeAsync.
                    var answer = kernel.CreateFunctionFromPrompt("Now: {{$now}}\n" + Policy + "\nQuestion: {{$question}}");
                    await kernel.InvokeAsync(answer, new() { ["now"] = {|#0:DateTime.UtcNow.ToString("O")|}, ["question"] = question });

                    // A parameter through arguments built before the call.
                    var arguments = new KernelArguments();
                    arguments["customer"] = {|#1:customer|};
                    await kernel.InvokePromptAsync("Customer: {{$customer}}\n" + Policy, arguments);
                }

                // A variable the code never fills in, in a function handed to a plugin: filled in per request.
                public void Register(Kernel kernel) =>
                    kernel.ImportPluginFromFunctions("support", [kernel.CreateFunctionFromPrompt({|#2:"Order: {{ $order }}\n" + Policy|})]);
            }
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2001").WithLocation(0).WithMessage(Message("'DateTime.UtcNow'", "changes on every call", "\n" + Policy + "\nQuestion: ")),
            Verify.Diagnostic("TL2001").WithLocation(1).WithMessage(Message("parameter 'customer'", "changes per request", "\n" + Policy)),
            Verify.Diagnostic("TL2001").WithLocation(2).WithMessage(Message("template variable 'order'", "changes per request", "\n" + Policy)));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        string source = WithPolicy("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            class Support
            {
            POLICY

                public async Task AnswerAsync(Kernel kernel, string question)
                {
                    // The values after the static text, a constant value, or little static text after the value.
                    await kernel.InvokePromptAsync(Policy + "\nNow: {{$now}}\nQuestion: {{$question}}", new() { ["now"] = DateTime.UtcNow.ToString("O"), ["question"] = question });
                    await kernel.InvokePromptAsync("Store: {{$store}}\n" + Policy, new() { ["store"] = "Berlin" });
                    await kernel.InvokePromptAsync("Answer briefly.\nQuestion: {{$question}}", new() { ["question"] = question });

                    // Text a template function returns is not known; another template format renders differently.
                    await kernel.InvokePromptAsync("{{time.Now}}\n" + Policy);
                    await kernel.InvokePromptAsync("{{question}}\n" + Policy, new() { ["question"] = question }, templateFormat: "handlebars");
                }
            }
            """);
        await Verify.VerifyAnalyzerAsync(source);
    }
}
