using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.StaticSectionReadsVolatileValueAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class StaticSectionReadsVolatileValueTests
{
    [Fact]
    public async Task StaticSectionsReadingTheClockOrAGuid_AreReported()
    {
        const string source = """
            using System;
            using TokenLint;

            [CachedPrompt]
            partial class SupportPrompt
            {
                [PromptSection(Stability.Static)]
                string Header => $"Now: {{|#0:DateTime.UtcNow|}:O}. Answer briefly.";

                [PromptSection(Stability.Static, Order = 1)]
                static string Trace() => "Trace " + {|#1:Guid.NewGuid()|};

                [PromptSection(Stability.Static, Order = 2)]
                string Today = "Date: " + {|#2:DateTime.Today|}.ToString("D");
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9102").WithLocation(0).WithMessage("Static section 'Header' reads 'DateTime.UtcNow', which changes on every call: the cached prefix changes with it, so calls write the cache and do not read it; mark the section Volatile"),
            Verify.Diagnostic("TL9102").WithLocation(1).WithMessage("Static section 'Trace' reads 'Guid.NewGuid()', which changes on every call: the cached prefix changes with it, so calls write the cache and do not read it; mark the section Volatile"),
            Verify.Diagnostic("TL9102").WithLocation(2).WithMessage("Static section 'Today' reads 'DateTime.Today', which changes every day: the cached prefix changes with it, so calls write the cache and do not read it; mark the section Volatile"));
    }

    [Fact]
    public async Task VolatileSections_StaticReadonlyFields_AndStableStaticSections_AreNotReported()
    {
        const string source = """
            using System;
            using TokenLint;

            [CachedPrompt]
            partial class SupportPrompt
            {
                [PromptSection(Stability.Volatile)]
                string Now => DateTime.UtcNow.ToString("O");

                [PromptSection(Stability.Session)]
                string Session => "Session started " + DateTime.UtcNow.ToString("O");

                // Evaluated once per process: the prefix stays the same for the process's lifetime.
                [PromptSection(Stability.Static)]
                static readonly string Build = "Build " + DateTime.UtcNow.Year;

                [PromptSection(Stability.Static, Order = 1)]
                string Rules => "Answer in " + Language + ".";

                string Language => "English";

                // Not a section: the clock here is no one's business.
                string Stamp => DateTime.UtcNow.ToString("O");
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }
}
