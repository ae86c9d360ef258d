using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.AI;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Generators.Tests;

/// <summary>
/// <c>[PromptFile]</c>: a static section whose text is a prompt file the project lists as an AdditionalFile, laid
/// out, counted and hashed at build time like a const string; and the tool schema in the run-time hash.
/// </summary>
public sealed class PromptFileTests
{
    private const string PolicyPrompt = """
        using TokenLint;

        namespace Support;

        [CachedPrompt(Model = "gpt-4o")]
        [PromptFile("Prompts/policy.prompt.md", Order = 2)]
        public partial class PolicyPrompt
        {
            [PromptSection(Stability.Volatile)]
            public string Question { get; set; } = "Where is my order?";

            [PromptSection(Stability.Static, Order = 3)]
            const string Closing = "Answer in two sentences at most.";

            [PromptSection(Stability.Static, Order = 1)]
            const string Instructions = "You are the support assistant for Northwind Outfitters.";
        }
        """;

    /// <summary>Quotes, a backslash, braces and a raw-string fence: all must survive the generated literal.</summary>
    private const string Policy = "# Refund policy\n\nRefunds are issued within \"14 days\" of purchase.\nPaths like C:\\orders\\{id} are examples, not \"\"\"code\"\"\".\n";

    private const string PolicyPath = "/repo/src/Support/Prompts/policy.prompt.md";

    private static string ExpectedStaticText(string policy) =>
        "You are the support assistant for Northwind Outfitters.\n\n" + policy.TrimEnd('\n') + "\n\nAnswer in two sentences at most.";

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static Type Build(string source, params AdditionalText[] files)
    {
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source), files);
        return GeneratorHarness.Load(output).GetTypes().Single(t => t.GetCustomAttributesData().Any(a => a.AttributeType.Name == "CachedPromptAttribute"));
    }

    [Fact]
    public void PromptFileSection_MatchesItsSnapshot()
    {
        var generated = GeneratorHarness.Run(GeneratorHarness.Compile(PolicyPrompt), new InMemoryAdditionalText(PolicyPath, Policy)).Run.Results.Single().GeneratedSources.Single();
        Snapshot.Verify("PromptFileSection", generated.HintName, generated.SourceText.ToString());
    }

    [Fact]
    public void PromptFileSection_IsLaidOutByOrder_CountedAndHashedWithTheStaticText()
    {
        var type = Build(PolicyPrompt, new InMemoryAdditionalText(PolicyPath, Policy));
        object prompt = Activator.CreateInstance(type)!;
        string expected = ExpectedStaticText(Policy);

        Assert.Equal(expected, type.GetMethod("RenderStatic")!.Invoke(prompt, null));
        Assert.Equal(expected + "\n\nWhere is my order?", type.GetMethod("Render")!.Invoke(prompt, null));
        Assert.Equal(Sha256(expected), type.GetField("StaticPrefixHash")!.GetValue(null));
        Assert.Equal(Sha256(expected), type.GetMethod("ComputeStaticPrefixHash")!.Invoke(prompt, null));
        Assert.Equal(TokenCounter.Count(expected).Value, type.GetField("StaticPrefixTokenCount")!.GetValue(null));

        var messages = (System.Collections.Generic.IList<ChatMessage>)type.GetMethod("ToChatMessages")!.Invoke(prompt, null)!;
        Assert.Equal(expected, ((TextContent)messages.Single().Contents[0]).Text);
    }

    [Fact]
    public void PromptFileWithWindowsLineBreaks_GivesTheSameTextAndHash()
    {
        var unix = Build(PolicyPrompt, new InMemoryAdditionalText(PolicyPath, Policy));
        var windows = Build(PolicyPrompt, new InMemoryAdditionalText(PolicyPath.Replace('/', '\\'), Policy.Replace("\n", "\r\n")));

        Assert.Equal(unix.GetField("StaticPrefixHash")!.GetValue(null), windows.GetField("StaticPrefixHash")!.GetValue(null));
        Assert.Equal(unix.GetField("StaticPrefixTokenCount")!.GetValue(null), windows.GetField("StaticPrefixTokenCount")!.GetValue(null));
        Assert.Equal(ExpectedStaticText(Policy), windows.GetMethod("RenderStatic")!.Invoke(Activator.CreateInstance(windows), null));
    }

    [Fact]
    public void PromptFileNotFound_IsLeftOut_AndTheTypeStillCompiles()
    {
        // Only a near-miss is listed: same name in another case. TL9104 reports it; the generator stays silent.
        var type = Build(PolicyPrompt, new InMemoryAdditionalText("/repo/src/Support/Prompts/Policy.prompt.md", Policy), new InMemoryAdditionalText("/repo/notes.txt", "unrelated"));
        string expected = "You are the support assistant for Northwind Outfitters.\n\nAnswer in two sentences at most.";

        Assert.Equal(expected, type.GetMethod("RenderStatic")!.Invoke(Activator.CreateInstance(type), null));
        Assert.Equal(Sha256(expected), type.GetField("StaticPrefixHash")!.GetValue(null));
    }

    [Fact]
    public void APromptFileTooLargeToEmbed_IsLeftOut_AndTheAssemblyStillEmits()
    {
        // 9 MB as one constant fails at emit (CS8103); past the limit the section is left out and TL9104 says so.
        var type = Build(PolicyPrompt, new InMemoryAdditionalText(PolicyPath, string.Concat(System.Linq.Enumerable.Repeat("word ", 1_800_000))));
        string expected = "You are the support assistant for Northwind Outfitters.\n\nAnswer in two sentences at most.";

        Assert.Equal(expected, type.GetMethod("RenderStatic")!.Invoke(Activator.CreateInstance(type), null));
    }

    [Fact]
    public void WhenTheFirstMatchingFileCannotBeUsed_TheSectionIsLeftOut_NotTakenFromALaterMatch()
    {
        // TL2003 and TL9104 judge the first match: the builder must lay out the same thing they judge.
        var type = Build(PolicyPrompt,
            new InMemoryAdditionalText(PolicyPath, new string('a', PromptSections.MaxPromptFileLength + 1)),
            new InMemoryAdditionalText("/elsewhere/" + PolicyPath, Policy));
        string expected = "You are the support assistant for Northwind Outfitters.\n\nAnswer in two sentences at most.";

        Assert.Equal(expected, type.GetMethod("RenderStatic")!.Invoke(Activator.CreateInstance(type), null));
    }

    [Fact]
    public void PromptFile_OnCSharp73_CompilesWithoutNullableSyntax()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            [PromptFile("rules.prompt.txt")]
            partial class LegacyRules
            {
            }
            """;
        var legacy = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3);
        var compilation = GeneratorHarness.Compile(source);
        compilation = compilation.WithOptions(compilation.Options.WithNullableContextOptions(NullableContextOptions.Disable))
            .ReplaceSyntaxTree(compilation.SyntaxTrees.Single(), Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, legacy, path: "Legacy.cs"));
        Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(
                new[] { new CachedPromptGenerator().AsSourceGenerator() },
                additionalTexts: new AdditionalText[] { new InMemoryAdditionalText("/repo/rules.prompt.txt", "Say \"yes\" or \"no\".\r\n") },
                parseOptions: legacy)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var type = GeneratorHarness.Load(output).GetType("LegacyRules")!;
        Assert.Equal("Say \"yes\" or \"no\".", type.GetMethod("Render")!.Invoke(Activator.CreateInstance(type), null));
    }

    [Theory]
    [InlineData("/repo/Prompts/policy.prompt.md", "Prompts/policy.prompt.md", true)]
    [InlineData(@"C:\repo\Prompts\policy.prompt.md", "Prompts/policy.prompt.md", true)]
    [InlineData("/repo/Prompts/policy.prompt.md", @"Prompts\policy.prompt.md", true)]
    [InlineData("/repo/Prompts/policy.prompt.md", "./Prompts/policy.prompt.md", true)]
    [InlineData("/repo/Shared/policy.prompt.md", "../Shared/policy.prompt.md", true)]
    [InlineData("/repo/prompts/policy.prompt.md", "Prompts/policy.prompt.md", true)]
    [InlineData("/repo/Prompts/Policy.prompt.md", "Prompts/policy.prompt.md", false)]
    [InlineData("/repo/Prompts/oldpolicy.prompt.md", "policy.prompt.md", false)]
    [InlineData("/repo/Other/policy.prompt.md", "Prompts/policy.prompt.md", false)]
    [InlineData("/repo/Prompts/policy.prompt.md", "", false)]
    public void PromptFileMatches_ThePathEndingSegmentBySegment_TheFileNameExactly(string additionalFile, string relativePath, bool matches)
    {
        Assert.Equal(matches, PromptSections.PromptFileMatches(additionalFile, relativePath));
    }

    [Fact]
    public void AClaudePromptMadeLongByItsPromptFile_KeepsItsBreakpoints()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "claude-sonnet-4-6")]
            [PromptFile("handbook.prompt.md")]
            public partial class Handbook
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Answer briefly.";

                [PromptSection(Stability.Volatile)]
                public string Question { get; set; } = "Where is my order?";
            }
            """;
        string handbook = string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box.\n", 60));

        Assert.Equal(new[] { true, false }, Breakpoints(Build(source, new InMemoryAdditionalText("/repo/handbook.prompt.md", handbook))));
        // Without the file the prefix is "Answer briefly.": known short, as TL2003 reports it.
        Assert.Equal(new[] { false, false }, Breakpoints(Build(source)));
    }

    [Fact]
    public void BreakpointDecision_ReadsTheUsersCatalogOverride_AsTL2003Does()
    {
        // claude-sonnet-5-5 has no confirmed minimum in the built-in catalog; the user's file gives one.
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "claude-sonnet-5-5")]
            public partial class Short
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Answer briefly.";

                [PromptSection(Stability.Volatile)]
                public string Question { get; set; } = "Where is my order?";
            }
            """;
        var catalog = new InMemoryAdditionalText("/repo/tokenlint.models.json", """
            { "models": [ { "id": "claude-sonnet-5-5", "minCacheablePrefixTokens": 2048, "unconfirmed": false } ] }
            """);

        Assert.Equal(new[] { true, false }, Breakpoints(Build(source)));
        Assert.Equal(new[] { false, false }, Breakpoints(Build(source, catalog)));
    }

    private static bool[] Breakpoints(Type type) => CachedPromptGeneratorTests.Breakpoints(type);

    [Fact]
    public void ComputeStaticPrefixHash_CoversEachFunctionsJsonSchema()
    {
        const string source = """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;
            using TokenLint;

            [CachedPrompt(Model = "gpt-4.1")]
            public partial class Tooled
            {
                [PromptSection(Stability.Static)]
                public static IList<AITool> Tools { get; set; } = new List<AITool>();
            }
            """;
        var type = Build(source);
        string HashWith(AITool tool)
        {
            type.GetProperty("Tools")!.SetValue(null, new System.Collections.Generic.List<AITool> { tool });
            return (string)type.GetMethod("ComputeStaticPrefixHash")!.Invoke(Activator.CreateInstance(type), null)!;
        }

        string byId = HashWith(AIFunctionFactory.Create((string orderId) => orderId, "track_order", "Tracks an order."));
        string byIdAgain = HashWith(AIFunctionFactory.Create((string orderId) => orderId, "track_order", "Tracks an order."));
        string byNumber = HashWith(AIFunctionFactory.Create((int orderNumber) => orderNumber, "track_order", "Tracks an order."));

        Assert.Equal(byId, byIdAgain);
        Assert.NotEqual(byId, byNumber);
    }
}
