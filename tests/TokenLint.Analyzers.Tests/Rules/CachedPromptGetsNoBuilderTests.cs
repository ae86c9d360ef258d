using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.CachedPromptGetsNoBuilderAnalyzer,
    TokenLint.CodeFixes.Rules.CachedPromptGetsNoBuilderFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class CachedPromptGetsNoBuilderTests
{
    [Fact]
    public async Task TypeThatIsNotPartial_IsReported_AndMadePartial()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "gpt-4o")]
            public sealed class {|#0:SupportPrompt|}
            {
                [PromptSection(Stability.Static)]
                public const string Instructions = "Answer from the order data only.";
            }

            [CachedPrompt]
            class {|#1:Classifier|}
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Reply with one word.";
            }
            """;
        const string fixedSource = """
            using TokenLint;

            [CachedPrompt(Model = "gpt-4o")]
            public sealed partial class SupportPrompt
            {
                [PromptSection(Stability.Static)]
                public const string Instructions = "Answer from the order data only.";
            }

            [CachedPrompt]
            partial class Classifier
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Reply with one word.";
            }
            """;
        await Verify.VerifyCodeFixAsync(source, fixedSource,
            Verify.Diagnostic("TL9101").WithLocation(0).WithMessage("'SupportPrompt' is not partial, so the [CachedPrompt] generator cannot add its builder; make it partial"),
            Verify.Diagnostic("TL9101").WithLocation(1).WithMessage("'Classifier' is not partial, so the [CachedPrompt] generator cannot add its builder; make it partial"));
    }

    [Fact]
    public async Task NestedType_IsReported_WithoutAFix()
    {
        const string source = """
            using TokenLint;

            partial class Prompts
            {
                [CachedPrompt]
                partial record {|#0:Support|}
                {
                    [PromptSection(Stability.Static)]
                    const string Rules = "Reply with one word.";
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL9101").WithLocation(0).WithMessage("'Support' is nested in 'Prompts', and the [CachedPrompt] generator builds only top-level types; move it out of 'Prompts'"));
    }

    [Fact]
    public async Task FileLocalType_IsReported_WithoutAFix_PartialOrNot()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            file partial class {|#0:Support|}
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Reply with one word.";
            }

            [CachedPrompt]
            file sealed class {|#1:Triage|}
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Reply with one word.";
            }
            """;
        await Verify.VerifyCodeFixAsync(source, source,
            Verify.Diagnostic("TL9101").WithLocation(0).WithMessage("'Support' is file-local, and the [CachedPrompt] generator cannot add its builder to a file-local type (its part, in another file, would be another type); remove 'file'"),
            Verify.Diagnostic("TL9101").WithLocation(1).WithMessage("'Triage' is file-local, and the [CachedPrompt] generator cannot add its builder to a file-local type (its part, in another file, would be another type); remove 'file'"));
    }

    [Fact]
    public async Task PartialTopLevelTypes_AndTypesWithoutTheAttribute_AreNotReported()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            public partial class SupportPrompt
            {
                [PromptSection(Stability.Static)]
                public const string Instructions = "Answer from the order data only.";
            }

            public partial class SupportPrompt { }

            [CachedPrompt]
            partial record struct Classifier;

            class Plain
            {
                class Inner { }
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
