using System.Linq;
using System.Threading.Tasks;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.CacheBreakpointBelowMinimumAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>
/// TL2003 when the code does not name the model (an environment variable, a parameter) but the client reaches only
/// Claude models: a prefix shorter than the smallest minimum of any Claude model in the catalog is reported.
/// </summary>
public sealed class CacheBreakpointUnknownModelTests
{
    /// <summary>About 560 tokens: short for Sonnet 4.6 (1,024), not for every Claude model (Opus 5: 512).</summary>
    private static readonly string MidInstructions = string.Concat(Enumerable.Repeat("Answer politely and cite the order number. ", 70));

    private static string Request(string client, string model, string system, string extra = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Anthropic;
        using Anthropic.Models.Messages;

        class Assistant
        {
            private const string DefaultModel = "claude-sonnet-4-6";
            private const string ShortInstructions = "{{CacheBreakpointRulesTests.ShortInstructions}}";
            private const string MidInstructions = "{{MidInstructions}}";

            // The model comes from the environment; the constant default is not taken for it.
            private static string ModelId => Environment.GetEnvironmentVariable("ASSISTANT_MODEL") ?? DefaultModel;

            public async Task<Message> AskAsync(AnthropicClient injected, string configuredModel, string question, string profile, IReadOnlyList<ToolUnion> tools)
            {
                {{client}}
                return await client.Messages.Create(new MessageCreateParams
                {
                    Model = {{model}},
                    MaxTokens = 2048,
                    System = new List<TextBlockParam>
                    {
        {{system}}
                        new() { Text = $"Today is {DateTime.UtcNow:D}." },
                    },
                    Messages = [new UserMessageParam(question)],{{extra}}
                });
            }
        }
        """;

    private static string Message(string text) =>
        $"This cache breakpoint ends a prefix of about {TokenCounter.Count(text).Value:N0} tokens, below 512 tokens, the smallest minimum cacheable prefix of any Anthropic model in the catalog ('claude-opus-5'): the code does not name the model, but whichever Anthropic model it is, this breakpoint caches nothing, and the prefix is billed in full on every call";

    [Fact]
    public async Task ShortPrefixWithTheModelFromTheEnvironment_IsJudgedAgainstTheSmallestClaudeMinimum()
    {
        // The dasimon/CubeScope shape: a new client, the model from an environment variable.
        string source = Request("AnthropicClient client = new();", "ModelId", "new() { Text = ShortInstructions, {|#0:CacheControl = new CacheControlEphemeral()|} },");
        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic("TL2003").WithLocation(0).WithMessage(Message(CacheBreakpointRulesTests.ShortInstructions)));
    }

    [Fact]
    public async Task ShortPrefixOnAnInjectedClientWithAModelParameter_IsReported()
    {
        string source = Request("var client = injected;", "configuredModel", "new(ShortInstructions) { {|#0:CacheControl = new CacheControlEphemeral { Ttl = Ttl.Ttl1h }|} },");
        await Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic("TL2003").WithLocation(0).WithMessage(Message(CacheBreakpointRulesTests.ShortInstructions)));
    }

    [Fact]
    public async Task NearMisses_AreNotReported()
    {
        // Short for the default model, but not for every Claude model: the default is not guessed.
        await Verify.VerifyAnalyzerAsync(Request("AnthropicClient client = new();", "ModelId", "new(MidInstructions) { CacheControl = new CacheControlEphemeral() },"));

        // A custom endpoint may serve other models.
        await Verify.VerifyAnalyzerAsync(Request("AnthropicClient client = new() { BaseUrl = \"http://localhost:4000\" };", "ModelId", "new(ShortInstructions) { CacheControl = new CacheControlEphemeral() },"));

        // Part of the prefix is known only at run time.
        await Verify.VerifyAnalyzerAsync(Request("var client = injected;", "configuredModel", "new(profile + ShortInstructions) { CacheControl = new CacheControlEphemeral() },"));

        // Tools come first in the prefix and are not counted.
        await Verify.VerifyAnalyzerAsync(Request("var client = injected;", "configuredModel", "new(ShortInstructions) { CacheControl = new CacheControlEphemeral() },",
            "\n                Tools = tools,"));

        // A named model without a known minimum stays unjudged, as before.
        await Verify.VerifyAnalyzerAsync(Request("var client = injected;", "\"claude-opus-5-5\"", "new(ShortInstructions) { CacheControl = new CacheControlEphemeral() },"));
    }
}
