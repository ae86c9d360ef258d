using System.Linq;
using System.Threading.Tasks;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.CacheBreakpointBelowMinimumAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL2003 on a <c>[CachedPrompt]</c> type: a constant static prefix too short for the Claude model to cache.</summary>
public sealed class CachedPromptBelowCacheMinimumTests
{
    /// <summary>About 300 tokens: under every Claude model's minimum, even counted 25% higher.</summary>
    private static readonly string ShortInstructions = CacheBreakpointRulesTests.ShortInstructions;

    /// <summary>About 5,000 tokens: over every Claude model's minimum.</summary>
    private static readonly string LongPolicy = CacheBreakpointRulesTests.LongPolicy;

    /// <summary>Between 820 and 1,023 tokens: under 1,024, but not by the 1.25 margin (checked in the test).</summary>
    private static readonly string NearMinimum = string.Concat(Enumerable.Repeat("Answer politely and cite the order number. ", 110));

    /// <summary>A prompt type with the given attribute arguments and static members, plus a session and a volatile section.</summary>
    private static string Prompt(string attribute, string staticMembers, string keyword = "public sealed partial class") => $$"""
        using System;
        using System.Collections.Generic;
        using TokenLint;

        [CachedPrompt{{attribute}}]
        {{keyword}} {|#0:SupportPrompt|}
        {
            [PromptSection(Stability.Volatile)] public required string Question { get; init; }
            [PromptSection(Stability.Session)] public required string CustomerTier { get; init; }
        {{staticMembers}}
        }
        """;

    private static string Message(string text, string minimum, string model) =>
        $"The static prefix of 'SupportPrompt' has about {TokenCounter.Count(text).Value:N0} tokens, below the {minimum}-token minimum that '{model}' caches: its builder places no breakpoint on the static prefix, which is billed in full on every call unless the session text makes the prefix long enough to cache";

    [Fact]
    public async Task ShortConstantStaticPrefix_ForAClaudeModel_IsReportedOnTheTypeWithTheNumbers()
    {
        string source = Prompt("(Model = \"claude-sonnet-4-6\")", $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
            """);
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2003").WithLocation(0).WithMessage(Message(ShortInstructions, "1,024", "claude-sonnet-4-6")));
    }

    [Fact]
    public async Task StaticSectionsAreCountedAsTheGeneratorLaysThemOut_ByOrderThenDeclaration()
    {
        // A const and a static readonly literal; Order puts Examples first, joined by the layout's blank line.
        string source = Prompt("(Model = \"claude-haiku-4-5\")", $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
                [PromptSection(Stability.Static, Order = 1)] private static readonly string Examples = "{ShortInstructions}Q: Where is my order? A: Order 123 shipped today.";
                [PromptSection(Stability.Static)] private const string Empty = "";
            """);
        string layout = ShortInstructions + "Q: Where is my order? A: Order 123 shipped today." + "\n\n" + ShortInstructions;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2003").WithLocation(0).WithMessage(Message(layout, "4,096", "claude-haiku-4-5")));
    }

    [Fact]
    public async Task PartialTypeDeclaredTwice_IsReportedOnce()
    {
        string source = Prompt("(Model = \"claude-3-5-haiku\")", $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
            """) + """

            public sealed partial class SupportPrompt
            {
                public string Describe() => "support";
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL2003").WithLocation(0).WithMessage(Message(ShortInstructions, "2,048", "claude-3-5-haiku")));
    }

    [Fact]
    public async Task LongStaticPrefix_OrOneNearTheMinimum_IsNotReported()
    {
        int nearCount = TokenCounter.Count(NearMinimum).Value;
        Assert.InRange(nearCount, 820, 1023);

        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", $"""
                [PromptSection(Stability.Static)] private const string Policy = "{LongPolicy}";
            """));
        // Under 1,024 by o200k, but Claude's count may reach it: the generator keeps its breakpoints too.
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{NearMinimum}";
            """));
        // Short sections that add up to more than the minimum.
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
                [PromptSection(Stability.Static)] private const string More = "{NearMinimum}";
            """));
    }

    [Fact]
    public async Task StaticPrefixWithAComputedSection_IsNotReported()
    {
        // Each computed static section may make the prefix long enough at run time.
        string[] computed =
        {
            "[PromptSection(Stability.Static)] private static string Catalog => string.Join(\", \", new[] { \"boots\", \"tents\" });",
            "[PromptSection(Stability.Static)] private static readonly string Loaded = Environment.GetEnvironmentVariable(\"POLICY\") ?? \"\";",
            "[PromptSection(Stability.Static)] private static string Rules() => \"Be brief.\";",
            "[PromptSection(Stability.Static)] public string Persona { get; init; } = \"Friendly\";",
            "[PromptSection(Stability.Static)] private const int MaxWords = 120;",
            "[PromptSection(Stability.Static)] private static IReadOnlyList<string> Tools => new[] { \"lookup_order\" };",
        };
        foreach (string member in computed)
        {
            await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", $"""
                    [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
                    {member}
                """));
        }
    }

    [Fact]
    public async Task ModelWithoutAConfirmedMinimum_OrNoModel_IsNotReported()
    {
        string statics = $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
            """;
        await Verify.VerifyAnalyzerAsync(Prompt("", statics));                                  // no model
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"acme-large\")", statics));          // not in the catalog
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-opus-5-5\")", statics));     // minimum unknown
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-opus-4-8\")", statics));     // minimum 1,024, unconfirmed
    }

    [Fact]
    public async Task OpenAIModel_IsNotReported()
    {
        // OpenAI caches automatically over the whole request: there is no breakpoint to leave out, and the session
        // text, tools and history after the static prefix count towards its 1,024 tokens.
        string statics = $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
            """;
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"gpt-4.1\")", statics));
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"gpt-4.1-mini\")", statics));
    }

    [Fact]
    public async Task TypeWithoutABuilder_OrWithoutStaticText_IsNotReported()
    {
        string statics = $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
            """;
        // Not partial: TL9101 reports it; no builder means no breakpoints were left out.
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", statics, keyword: "public sealed class"));
        // File-local: TL9101 again.
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", statics, keyword: "file sealed partial class"));
        // Nested: TL9101 again.
        await Verify.VerifyAnalyzerAsync($$"""
            using TokenLint;

            public static partial class Prompts
            {
                [CachedPrompt(Model = "claude-sonnet-4-6")]
                public sealed partial class Support
                {
                    {{statics}}
                }
            }
            """);
        // No static text at all: nothing was meant to be cached.
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", "[PromptSection(Stability.Static)] private const string Nothing = \"\";"));
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", ""));
        // A static readonly section set again in the static constructor: its text is known only at run time.
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", $$"""
                [PromptSection(Stability.Static)] private static readonly string Instructions = "{{ShortInstructions}}";
                static SupportPrompt() { Instructions = System.IO.File.ReadAllText("policy.md"); }
            """));
        // A short constant that is not a section.
        await Verify.VerifyAnalyzerAsync(Prompt("(Model = \"claude-sonnet-4-6\")", $"""
                private const string Instructions = "{ShortInstructions}";
            """));
    }

    [Fact]
    public async Task CatalogOverride_ThatConfirmsAMinimum_IsUsed()
    {
        // claude-sonnet-5-5 has no minimum in the built-in catalog; the user's file gives one.
        var test = new Verify.Test
        {
            TestCode = Prompt("(Model = \"claude-sonnet-5-5\")", $"""
                    [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
                """),
        };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.models.json", """
            { "models": [ { "id": "claude-sonnet-5-5", "minCacheablePrefixTokens": 2048, "unconfirmed": false } ] }
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL2003").WithLocation(0).WithMessage(Message(ShortInstructions, "2,048", "claude-sonnet-5-5")));
        await test.RunAsync();
    }

    [Fact]
    public async Task PromptFiles_AreCountedAsTheGeneratorLaysThemOut_AndAMissingOneIsLeftOut()
    {
        // Prompt file first (Order = 0), then the const; the file's CRLF line breaks and final line break as the generator reads them.
        string source = Prompt("(Model = \"claude-sonnet-4-6\")", $"""
                [PromptSection(Stability.Static)] private const string Instructions = "{ShortInstructions}";
            """).Replace("[CachedPrompt(", "[PromptFile(\"Prompts/rules.prompt.md\", Order = 0)]\n[PromptFile(\"Prompts/missing.prompt.md\")]\n[CachedPrompt(");
        var shortFile = new Verify.Test { TestCode = source };
        shortFile.TestState.AdditionalFiles.Add(("/0/Prompts/rules.prompt.md", "Be brief.\r\nCite the order number.\r\n"));
        shortFile.ExpectedDiagnostics.Add(Verify.Diagnostic("TL2003").WithLocation(0).WithMessage(
            Message("Be brief.\nCite the order number.\n\n" + ShortInstructions, "1,024", "claude-sonnet-4-6")));
        await shortFile.RunAsync();

        // A long prompt file makes the prefix cacheable: no report, and the generator keeps its breakpoints.
        var longFile = new Verify.Test { TestCode = source };
        longFile.TestState.AdditionalFiles.Add(("/0/Prompts/rules.prompt.md", LongPolicy));
        await longFile.RunAsync();
    }
}
