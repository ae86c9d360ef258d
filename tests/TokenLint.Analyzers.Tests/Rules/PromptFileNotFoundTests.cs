using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PromptFileNotFoundAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL9104: a <c>[PromptFile]</c> that no AdditionalFile matches, so its section is left out.</summary>
public sealed class PromptFileNotFoundTests
{
    private static string Prompt(string path) => $$"""
        using TokenLint;

        [CachedPrompt(Model = "gpt-4o")]
        [{|#0:PromptFile({{path}}, Order = 2)|}]
        public partial class SupportPrompt
        {
            [PromptSection(Stability.Static, Order = 1)]
            const string Instructions = "Answer from the order data only.";
        }
        """;

    private static Task Run(string source, string[] additionalFiles, string? reportedPath)
    {
        var test = new Verify.Test { TestCode = source };
        foreach (string file in additionalFiles)
        {
            test.TestState.AdditionalFiles.Add((file, "Refunds are issued within 14 days."));
        }

        if (reportedPath is not null)
        {
            test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9104").WithLocation(0).WithMessage(
                $"No AdditionalFile matches the prompt file '{reportedPath}', so 'SupportPrompt' is built without that section; add <AdditionalFiles Include=\"{reportedPath}\" /> to the project"));
        }

        return test.RunAsync();
    }

    [Fact]
    public Task PromptFileWithNoAdditionalFiles_IsReportedWithThePathAndTheItemToAdd() =>
        Run(Prompt("\"Prompts/policy.prompt.md\""), [], "Prompts/policy.prompt.md");

    [Theory]
    [InlineData("/0/Prompts/Policy.prompt.md")]     // the file name in another case
    [InlineData("/0/Prompts/oldpolicy.prompt.md")]  // a name that only ends like it
    [InlineData("/0/Other/policy.prompt.md")]       // the name in another folder
    [InlineData("/0/Prompts/policy.prompt.txt")]    // another extension
    public Task NearMissAdditionalFiles_DoNotMatch_AndAreReported(string additionalFile) =>
        Run(Prompt("\"Prompts/policy.prompt.md\""), [additionalFile], "Prompts/policy.prompt.md");

    [Theory]
    [InlineData("\"Prompts/policy.prompt.md\"", "/0/Prompts/policy.prompt.md")]
    [InlineData("@\"Prompts\\policy.prompt.md\"", "/0/Prompts/policy.prompt.md")]
    [InlineData("\"./prompts/policy.prompt.md\"", "/0/Prompts/policy.prompt.md")]
    [InlineData("\"policy.prompt.md\"", "/0/src/Prompts/policy.prompt.md")]
    public Task PromptFileThatAnAdditionalFileMatches_IsNotReported(string path, string additionalFile) =>
        Run(Prompt(path), ["/0/notes.md", additionalFile], null);

    [Fact]
    public async Task EachMissingFileOfATypeIsReported_AndTypesWithoutPromptFilesAreNot()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            [{|#0:PromptFile("policy.prompt.md")|}]
            [PromptFile("style.prompt.md")]
            [{|#1:PromptFile("examples.prompt.md")|}]
            partial class SupportPrompt
            {
            }

            [CachedPrompt]
            partial class Plain
            {
                [PromptSection(Stability.Static)]
                const string Text = "Be brief.";
            }

            // Not a [CachedPrompt] type: nothing reads the file. An empty path is still being typed.
            [PromptFile("missing.prompt.md")]
            partial class NotAPrompt
            {
            }

            [CachedPrompt]
            [PromptFile("")]
            partial class HalfTyped
            {
            }
            """;
        var test = new Verify.Test { TestCode = source };
        test.TestState.AdditionalFiles.Add(("/0/style.prompt.md", "Be brief."));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9104").WithLocation(0).WithArguments("policy.prompt.md", "SupportPrompt"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9104").WithLocation(1).WithArguments("examples.prompt.md", "SupportPrompt"));
        await test.RunAsync();
    }

    [Fact]
    public async Task APromptFileTooLargeToEmbed_IsReportedWithItsSize_OneAtTheLimitIsNot()
    {
        var test = new Verify.Test { TestCode = Prompt("\"Prompts/policy.prompt.md\"") };
        test.TestState.AdditionalFiles.Add(("/0/Prompts/policy.prompt.md", new string('a', 1_000_001)));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9104").WithLocation(0).WithMessage(
            "The prompt file 'Prompts/policy.prompt.md' has 1,000,001 characters, more than the 1,000,000 a [CachedPrompt] builder embeds, so 'SupportPrompt' is built without that section; load a file this large at run time"));
        await test.RunAsync();

        var atTheLimit = new Verify.Test { TestCode = Prompt("\"Prompts/policy.prompt.md\"").Replace("{|#0:", "").Replace("|}", "") };
        atTheLimit.TestState.AdditionalFiles.Add(("/0/Prompts/policy.prompt.md", new string('a', 1_000_000)));
        await atTheLimit.RunAsync();
    }

    [Fact]
    public async Task ATypeTheGeneratorDoesNotBuild_IsLeftToTL9101()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            [PromptFile("Prompts/missing.prompt.md")]
            public class NotPartial
            {
            }

            public partial class Outer
            {
                [CachedPrompt]
                [PromptFile("Prompts/missing.prompt.md")]
                public partial class Nested
                {
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
