using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PromptSectionsShareAnOrderAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class PromptSectionsShareAnOrderTests
{
    [Fact]
    public async Task SectionsWithTheSameStabilityAndOrder_AreReportedAtTheLaterOne()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            partial class SupportPrompt
            {
                [PromptSection(Stability.Static, Order = 1)]
                const string Instructions = "Answer from the order data only.";

                [{|#0:PromptSection(Stability.Static, Order = 1)|}]
                const string Examples = "Q: Where is my order? A: Which order number?";
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9103").WithLocation(0).WithMessage("Sections 'Instructions' and 'Examples' are both Stability.Static with Order = 1, so their order in the prompt follows declaration order; give each its own Order"));
    }

    [Fact]
    public async Task DistinctOrders_OtherStabilities_DefaultOrders_AndTypesWithoutTheAttribute_AreNotReported()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            partial class SupportPrompt
            {
                [PromptSection(Stability.Static, Order = 1)]
                const string Instructions = "Answer from the order data only.";

                [PromptSection(Stability.Static, Order = 2)]
                const string Examples = "Q: Where is my order? A: Which order number?";

                [PromptSection(Stability.Volatile, Order = 1)]
                public string Question { get; set; } = "";

                [PromptSection(Stability.Session)]
                public string Customer { get; set; } = "";

                [PromptSection(Stability.Session)]
                public string Tier { get; set; } = "";
            }

            class NotAPrompt
            {
                [PromptSection(Stability.Static, Order = 1)]
                const string A = "a";

                [PromptSection(Stability.Static, Order = 1)]
                const string B = "b";
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
