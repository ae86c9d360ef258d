using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TokenLint.Analysis.Tokens;
using BelowMinimum = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.CacheBreakpointBelowMinimumAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;
using AfterVolatile = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.CacheBreakpointAfterVolatileContentAnalyzer, TokenLint.CodeFixes.Rules.CacheBreakpointAfterVolatileContentFixer>;
using Layout = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.InvalidCacheBreakpointLayoutAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL2003, TL2004 and TL2005: Anthropic cache breakpoints (<c>CacheControl</c>) that cannot pay off.</summary>
public sealed class CacheBreakpointRulesTests
{
    /// <summary>About 300 tokens: under every Claude model's minimum.</summary>
    internal static readonly string ShortInstructions = string.Concat(Enumerable.Repeat("Answer politely and cite the order number. ", 35));

    /// <summary>About 5,000 tokens: over every Claude model's minimum.</summary>
    internal static readonly string LongPolicy = string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", 260));

    private static string Request(string model, string systemBlocks, string extra = "") => $$"""
        using System;
        using System.Collections.Generic;
        using Anthropic;
        using Anthropic.Models.Messages;

        class Agent
        {
            private const string ShortInstructions = "{{ShortInstructions}}";
            private const string LongPolicy = "{{LongPolicy}}";

            public void Run(AnthropicClient client, string question) =>
                client.Messages.Create(new MessageCreateParams
                {
                    Model = "{{model}}",
                    MaxTokens = 1024,
                    System = new List<TextBlockParam>
                    {
        {{systemBlocks}}
                    },
                    Messages = [new UserMessageParam(question)],{{extra}}
                });
        }
        """;

    [Fact]
    public async Task BreakpointOnAShortPrefix_IsReportedWithBothNumbers()
    {
        string source = Request("claude-sonnet-4-6", "new(ShortInstructions) { {|#0:CacheControl = new CacheControlEphemeral()|} },");
        int tokens = TokenCounter.Count(ShortInstructions).Value;
        await BelowMinimum.VerifyAnalyzerAsync(source,
            BelowMinimum.Diagnostic("TL2003").WithLocation(0)
                .WithMessage($"This cache breakpoint ends a prefix of about {tokens:N0} tokens, below the 1,024-token minimum that 'claude-sonnet-4-6' caches: this breakpoint caches nothing, and the prefix is billed in full on every call"));
    }

    [Fact]
    public async Task BreakpointNearMisses_AreNotReportedByTL2003()
    {
        // Long enough; a prefix only known at run time; a model without a known minimum.
        await BelowMinimum.VerifyAnalyzerAsync(Request("claude-sonnet-4-6", "new(LongPolicy) { CacheControl = new CacheControlEphemeral() },"));
        await BelowMinimum.VerifyAnalyzerAsync(Request("claude-sonnet-4-6", "new(question + ShortInstructions) { CacheControl = new CacheControlEphemeral() },"));
        await BelowMinimum.VerifyAnalyzerAsync(Request("claude-opus-5-5", "new(ShortInstructions) { CacheControl = new CacheControlEphemeral() },"));
    }

    [Fact]
    public async Task BreakpointAfterAGuid_IsReportedWithTheWritePremium()
    {
        string source = Request("claude-sonnet-4-6", """
                        new($"Request {{|#1:Guid.NewGuid()|}}"),
                        new(LongPolicy) { {|#0:CacheControl = new CacheControlEphemeral { Ttl = Ttl.Ttl1h }|} },
            """);
        await AfterVolatile.VerifyAnalyzerAsync(source,
            AfterVolatile.Diagnostic("TL2004").WithLocation(0).WithLocation(1)
                .WithMessage("This cache breakpoint comes after 'Guid.NewGuid()', which changes on every call: every call writes the cache at 2x the input price and no call reads it; move the value after the breakpoint"));
    }

    [Fact]
    public async Task Fix_MovesTheVolatileBlockAfterTheBreakpoint()
    {
        string source = Request("claude-sonnet-4-6", """
                        new("You are terse."),
                        new($"Started {|#1:{DateTime.UtcNow:O}|}"),
                        new(LongPolicy) { {|#0:CacheControl = new CacheControlEphemeral()|} },
            """);
        string fixedSource = Request("claude-sonnet-4-6", """
                        new("You are terse."),
                        new(LongPolicy) { CacheControl = new CacheControlEphemeral() },
                        new($"Started {DateTime.UtcNow:O}"),
            """);
        await AfterVolatile.VerifyCodeFixAsync(source, fixedSource,
            AfterVolatile.Diagnostic("TL2004").WithLocation(0).WithLocation(1)
                .WithMessage("This cache breakpoint comes after 'DateTime.UtcNow', which changes on every call: every call writes the cache at 1.25x the input price and no call reads it; move the value after the breakpoint"));
    }

    [Fact]
    public async Task BreakpointBeforeTheVolatileValue_IsNotReportedByTL2004()
    {
        // The right layout: static prefix cached, per-call value after the breakpoint; per-request values are session caches.
        await AfterVolatile.VerifyAnalyzerAsync(Request("claude-sonnet-4-6", """
                        new(LongPolicy) { CacheControl = new CacheControlEphemeral() },
                        new($"Now: {DateTime.UtcNow:O}"),
            """));
        await AfterVolatile.VerifyAnalyzerAsync(Request("claude-sonnet-4-6", """
                        new($"Customer: {question}"),
                        new(LongPolicy) { CacheControl = new CacheControlEphemeral() },
            """));
    }

    [Fact]
    public async Task FiveBreakpoints_AreReportedAtTheFifth()
    {
        string source = Request("claude-sonnet-4-6", """
                        new("a") { CacheControl = new CacheControlEphemeral() },
                        new("b") { CacheControl = new CacheControlEphemeral() },
                        new("c") { CacheControl = new CacheControlEphemeral() },
                        new("d") { CacheControl = new CacheControlEphemeral() },
                        new(LongPolicy) { {|#0:CacheControl = new CacheControlEphemeral()|} },
            """);
        await Layout.VerifyAnalyzerAsync(source,
            Layout.Diagnostic("TL2005").WithLocation(0).WithMessage("This request sets 5 cache breakpoints; the API accepts at most 4 and rejects the request with HTTP 400"));
    }

    [Fact]
    public async Task RequestLevelBreakpoint_CountsTowardsTheLimit()
    {
        string source = Request("claude-sonnet-4-6", """
                        new("a") { CacheControl = new CacheControlEphemeral() },
                        new("b") { CacheControl = new CacheControlEphemeral() },
                        new("c") { CacheControl = new CacheControlEphemeral() },
                        new(LongPolicy) { CacheControl = new CacheControlEphemeral() },
            """, "\n                {|#0:CacheControl = new CacheControlEphemeral()|},");
        await Layout.VerifyAnalyzerAsync(source,
            Layout.Diagnostic("TL2005").WithLocation(0).WithMessage("This request sets 5 cache breakpoints; the API accepts at most 4 and rejects the request with HTTP 400"));
    }

    [Fact]
    public async Task OneHourAfterFiveMinutes_IsReported()
    {
        string source = Request("claude-sonnet-4-6", """
                        new(ShortInstructions) { CacheControl = new CacheControlEphemeral() },
                        new(LongPolicy) { {|#0:CacheControl = new CacheControlEphemeral { Ttl = Ttl.Ttl1h }|} },
            """);
        await Layout.VerifyAnalyzerAsync(source,
            Layout.Diagnostic("TL2005").WithLocation(0).WithMessage("This 1-hour cache breakpoint comes after a 5-minute one; longer-lived breakpoints must come first"));
    }

    [Fact]
    public async Task ValidLayouts_AreNotReportedByTL2005()
    {
        await Layout.VerifyAnalyzerAsync(Request("claude-sonnet-4-6", """
                        new(ShortInstructions) { CacheControl = new CacheControlEphemeral { Ttl = Ttl.Ttl1h } },
                        new("b") { CacheControl = new CacheControlEphemeral { Ttl = Ttl.Ttl1h } },
                        new("c"),
                        new(LongPolicy) { CacheControl = new CacheControlEphemeral() },
            """, "\n                CacheControl = new CacheControlEphemeral(),"));
    }
}
