using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.InvalidConfigurationAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;
using VerifyPremium = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PremiumModelOnTrivialCallAnalyzer,
    TokenLint.CodeFixes.Rules.PremiumModelOnTrivialCallFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class InvalidConfigurationTests
{
    private const string AnySource = "class C { }";

    [Fact]
    public async Task InvalidOptionValues_AreReportedOnceWithKeyValueAndDefault()
    {
        await Verify.VerifyAnalyzerAsync(AnySource, "tokenlint.tl1001.max_output_tokens = lots\ntokenlint.tl1002.report_deprecated = sometimes",
            Verify.Diagnostic("TL9001").WithNoLocation()
                .WithMessage("Invalid value 'lots' for 'tokenlint.tl1001.max_output_tokens': expected a whole number from 1 to 1000000; using the default 64"),
            Verify.Diagnostic("TL9001").WithNoLocation()
                .WithMessage("Invalid value 'sometimes' for 'tokenlint.tl1002.report_deprecated': expected true or false; using the default true"));
    }

    [Fact]
    public async Task OutOfRangeSharedKey_IsReported()
    {
        await Verify.VerifyAnalyzerAsync(AnySource, "tokenlint.max_output_tokens = 0",
            Verify.Diagnostic("TL9001").WithNoLocation()
                .WithMessage("Invalid value '0' for 'tokenlint.max_output_tokens': expected a whole number from 1 to 1000000; using the default 64"));
    }

    [Fact]
    public async Task ValidOptions_AreNotReported()
    {
        await Verify.VerifyAnalyzerAsync(AnySource, "tokenlint.tl1001.max_output_tokens = 32\ntokenlint.tl1001.premium_models = gpt-4o\ntokenlint.tl1002.report_deprecated = False");
    }

    [Fact]
    public async Task MalformedCatalogOverride_IsReportedAtFileLineAndColumn()
    {
        var test = new Verify.Test { TestCode = AnySource };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.models.json", "{ \"models\": [\n  { \"id\" \"acme\" }\n] }"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9001").WithSpan("/0/tokenlint.models.json", 2, 10, 2, 10)
            .WithMessage("tokenlint.models.json(2,10): expected ':' after a property name; the file is ignored and the built-in catalog is used"));
        await test.RunAsync();
    }

    [Fact]
    public async Task InvalidEntries_AreReportedAndOnlyThoseAreIgnored()
    {
        var test = new Verify.Test { TestCode = AnySource };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.models.json", """
            {
              "models": [
                { "id": "acme-large", "inputPrice": -1 },
                { "id": "acme-small", "inputPrice": 1, "cacheReadPrice": 2 },
                { "id": "acme-ok", "inputPrice": 1, "tier": "galactic" },
                { "id": "acme-fine", "inputPrice": 1 }
              ]
            }
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9001").WithSpan("/0/tokenlint.models.json", 3, 41, 3, 41)
            .WithMessage("tokenlint.models.json(3,41): model 'acme-large': \"inputPrice\" is negative (-1); entry ignored"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9001").WithSpan("/0/tokenlint.models.json", 4, 5, 4, 5)
            .WithMessage("tokenlint.models.json(4,5): model 'acme-small': cacheReadPrice (2) must be below inputPrice (1); entry ignored"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9001").WithSpan("/0/tokenlint.models.json", 5, 49, 5, 49)
            .WithMessage("tokenlint.models.json(5,49): model 'acme-ok': \"tier\" must be one of: unknown, economy, standard, premium; entry ignored"));
        await test.RunAsync();
    }

    [Fact]
    public async Task MalformedBaseline_IsReportedAtFileLineAndColumn()
    {
        var test = new Verify.Test { TestCode = AnySource };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.baseline.json", "{ \"prompts\": {\n  \"Agent.Policy\": \"lots\"\n} }"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL9001").WithSpan("/0/tokenlint.baseline.json", 2, 19, 2, 19)
            .WithMessage("tokenlint.baseline.json(2,19): the count of 'Agent.Policy' must be a whole number of tokens; TL4003 skips that entry"));
        await test.RunAsync();
    }

    [Fact]
    public async Task CatalogOverride_AddsAPremiumModelThatRulesUse()
    {
        var test = new VerifyPremium.Test
        {
            TestCode = """
                using System.Threading.Tasks;
                using OpenAI.Chat;

                class C
                {
                    public Task RunAsync(string apiKey, string text) =>
                        new ChatClient({|#1:"acme-large"|}, apiKey).{|#0:CompleteChatAsync|}([new UserChatMessage(text)], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                using OpenAI.Chat;

                class C
                {
                    public Task RunAsync(string apiKey, string text) =>
                        new ChatClient("gpt-4o-mini", apiKey).CompleteChatAsync([new UserChatMessage(text)], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
                }
                """,
        };
        const string catalog = """{ "models": [ { "id": "acme-large", "provider": "openai", "tier": "premium", "inputPrice": 3, "outputPrice": 12, "cheaperSibling": "gpt-4o-mini" } ] }""";
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.models.json", catalog));
        test.FixedState.AdditionalFiles.Add(("/0/tokenlint.models.json", catalog));
        test.ExpectedDiagnostics.Add(VerifyPremium.Diagnostic("TL1001").WithLocation(0).WithLocation(1)
            .WithMessage("'acme-large' is a premium model on a trivial call (output limited to 5 tokens); 'gpt-4o-mini' costs 20x less per input token"));
        await test.RunAsync();
    }

    [Fact]
    public async Task CatalogOverride_ChangesABuiltInEntry()
    {
        // Marking gpt-4o economy takes it out of TL1001's premium tier.
        var test = new VerifyPremium.Test
        {
            TestCode = """
                using System.Threading.Tasks;
                using OpenAI.Chat;

                class C
                {
                    public Task RunAsync(string apiKey, string text) =>
                        new ChatClient("gpt-4o", apiKey).CompleteChatAsync([new UserChatMessage(text)], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/tokenlint.models.json", """{ "models": [ { "id": "gpt-4o", "tier": "economy" } ] }"""));
        await test.RunAsync();
    }
}
