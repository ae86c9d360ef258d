using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.AI;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Configuration;
using TokenLint.Runtime;
using TokenLint.Runtime.Pricing;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PremiumModelOnTrivialCallAnalyzer,
    TokenLint.CodeFixes.Rules.PremiumModelOnTrivialCallFixer>;

namespace TokenLint.Analyzers.Tests;

/// <summary>
/// One override file means the same to the analyzers (read as TL9001 reads it, through <see cref="ModelCatalogProvider"/>)
/// and to the runtime (<see cref="ModelPriceCatalog.WithOverrides(Stream, string)"/>): the same prices for every
/// model, the same problems in a bad file, and the same dollars in TL1001's message, the ledger and a budget.
/// </summary>
public sealed class CatalogOverrideAgreementTests
{
    private const string FileName = "tokenlint.models.json";

    /// <summary>A partial entry with an alias (a deployment name), and a new model.</summary>
    private const string TeamOverride = """
        { "models": [
          { "id": "claude-opus-4-6", "inputPrice": 4, "aliases": ["ClaudeOpus4_6", "prod-opus"] },
          { "id": "acme-large", "provider": "anthropic", "tier": "premium", "inputPrice": 12, "outputPrice": 60, "cacheReadPrice": 1.2, "cheaperSibling": "claude-haiku-4-5" }
        ] }
        """;

    public static TheoryData<string> ValidOverrides() => new()
    {
        TeamOverride,
        """{ "models": [ { "id": "gpt-4o", "outputPrice": 8, "cacheReadPrice": 0.5 } ] }""",                 // partial: other fields kept
        """{ "models": [ { "id": "claude-3-opus-20240229", "inputPrice": 15, "outputPrice": 75 } ] }""",     // prices a retired, unpriced model
        """{ "models": [ { "id": "gpt-4.1", "cacheReadPrice": null } ] }""",                                  // a price removed
        """{ "models": [ { "id": "gpt-4o-2024-08-06", "inputPrice": 3 } ] }""",                              // a dated alias becomes its own model
        """{ "models": [ { "id": "local-llama", "inputPrice": 0, "outputPrice": 0, "aliases": ["LLAMA-PROD"] } ] }""",
    };

    public static TheoryData<string> MalformedOverrides() => new()
    {
        """{ "models": [ { "id": "x", "inputPrice": 1, "outputPrice": 2 }, ] }""",
        "{ \"models\": [\n  // negotiated\n  { \"id\": \"x\", \"inputPrice\": 1, \"outputPrice\": 2 } ] }",
        """{ "models": [ { "id": "claude-opus-4-6", "cacheReadPrice": -0.5 }, { "id": "y", "colour": "blue" } ] }""",
        """{ "models": [ { "id": "gpt-4o", "inputPrice": 0.1 } ] }""",                                        // below its cache read price
        """{ "models": [ { "id": "x", "provider": "azure" }, { "id": "x" } ] }""",
        """{ "prices": [] }""",
    };

    [Theory]
    [MemberData(nameof(ValidOverrides))]
    public void EveryPriceOfEveryModelIsTheSameInTheAnalyzersAndTheRuntime(string overrideText)
    {
        var analyzers = AnalyzersCatalog(overrideText);
        var runtime = RuntimeCatalog(overrideText);

        Assert.Empty(analyzers.Problems);
        var names = analyzers.Catalog.Models.SelectMany(m => m.Aliases.Prepend(m.Id)).Distinct().ToList();
        foreach (string name in names)
        {
            var model = analyzers.Catalog.Find(name)!;
            bool priced = model.InputPrice is not null && model.OutputPrice is not null;
            Assert.True(priced == runtime.TryGetPrice(name, out var price), $"{name}: priced by the analyzers {priced}, by the runtime {!priced}");
            if (priced)
            {
                Assert.Equal(Prices(model), Prices(price));
            }
        }

        Assert.Equal(
            analyzers.Catalog.Models.Where(m => m.InputPrice is not null && m.OutputPrice is not null).Select(m => m.Id).Order(),
            runtime.PricedModelIds.Order());
    }

    [Fact]
    public void ALaterFileChangesWhatAnEarlierOneAdded_InBoth()
    {
        const string first = """{ "models": [ { "id": "acme-large", "provider": "openai", "inputPrice": 2, "outputPrice": 8, "cacheReadPrice": 0.5 } ] }""";
        const string second = """{ "models": [ { "id": "acme-large", "outputPrice": 6 } ] }""";
        var analyzers = ModelCatalogProvider.Get(
            new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new OverrideFile("/0/" + FileName, first), new OverrideFile("/1/" + FileName, second)), new NoOptions()),
            CancellationToken.None);
        var runtime = ModelPriceCatalog.BuiltIn
            .WithOverrides(new MemoryStream(Encoding.UTF8.GetBytes(first)), "first.json")
            .WithOverrides(new MemoryStream(Encoding.UTF8.GetBytes(second)), "second.json");

        var model = analyzers.Catalog.Find("acme-large")!;
        Assert.True(runtime.TryGetPrice("acme-large", out var price));
        Assert.Equal(new object?[] { 2m, 6m, null, null, 0.5m, null, null, null, null }, Prices(model));
        Assert.Equal(Prices(model), Prices(price));
    }

    [Theory]
    [MemberData(nameof(MalformedOverrides))]
    public void AFileTheAnalyzersReportIsAnErrorAtRunTime_AtTheSamePlaces(string overrideText)
    {
        var analyzers = AnalyzersCatalog(overrideText);

        var error = Assert.Throws<ModelPriceCatalogException>(() => RuntimeCatalog(overrideText));

        Assert.NotEmpty(analyzers.Problems);
        Assert.Equal(
            analyzers.Problems.Select(p => $"{FileName}({p.Problem.Line},{p.Problem.Column}): {p.Problem.Description}"),
            error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public async Task TheSameOverrideGivesTheSamePricesInTL1001TheLedgerAndTheBudget()
    {
        var runtime = RuntimeCatalog(TeamOverride);
        Assert.True(runtime.TryGetPrice("prod-opus", out var opus));
        Assert.True(runtime.TryGetPrice("acme-large", out var acme));
        Assert.True(runtime.TryGetPrice("claude-haiku-4-5", out var haiku));

        // TL1001 names the price ratio to the cheaper sibling: 4x (not the built-in 5x) and 12x.
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading.Tasks;
                using Anthropic;
                using Anthropic.Models.Messages;

                class Triage
                {
                    public Task<Message> NeedsHumanAsync(AnthropicClient client, string ticket) =>
                        client.Messages.{|#0:Create|}(new MessageCreateParams
                        {
                            Model = {|#1:"prod-opus"|}, MaxTokens = 10, System = "Answer yes or no.", Messages = [new UserMessageParam(ticket)],
                        });

                    public Task<Message> IsSpamAsync(AnthropicClient client, string ticket) =>
                        client.Messages.{|#2:Create|}(new MessageCreateParams
                        {
                            Model = {|#3:"acme-large"|}, MaxTokens = 10, System = "Answer yes or no.", Messages = [new UserMessageParam(ticket)],
                        });
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/" + FileName, TeamOverride));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL1001").WithLocation(0).WithLocation(1).WithMessage(Tl1001("prod-opus", opus, haiku)));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TL1001").WithLocation(2).WithLocation(3).WithMessage(Tl1001("acme-large", acme, haiku)));
        await test.RunAsync();

        // The ledger and the budget charge what the analyzers' catalog prices: 2,000 plain + 1,000 read + 300 output.
        var analyzers = AnalyzersCatalog(TeamOverride).Catalog;
        var ledger = new InMemoryTokenLedger();
        var budget = new TokenBudget(runtime).Limit(BudgetScope.Total, maxDollars: 10m);
        var client = new ChatClientBuilder(new UsageReportingClient())
            .UseTokenBudget(budget)
            .UseTokenMetering(ledger, o => o.Prices = runtime)
            .Build();
        foreach (string model in new[] { "prod-opus", "acme-large" })
        {
            await client.GetResponseAsync("Is this spam?", new ChatOptions { ModelId = model, MaxOutputTokens = 10 });
        }

        var expected = new[] { "prod-opus", "acme-large" }.Select(name => analyzers.Find(name)!)
            .Select(m => (decimal)(2_000 * m.InputPrice!.Value + 1_000 * (m.CacheReadPrice ?? m.InputPrice!.Value) + 300 * m.OutputPrice!.Value) / 1_000_000m)
            .ToArray();
        Assert.Equal(expected, ledger.Records.Select(r => r.CostUsd!.Value));
        Assert.Equal(expected.Sum(), Assert.Single(budget.Accounts).SpentDollars);
        Assert.Equal((4m * 2_000 + 0.5m * 1_000 + 25m * 300) / 1_000_000m, expected[0]); // the partial entry kept opus's read and output prices
    }

    private static string Tl1001(string model, ModelPrice price, ModelPrice sibling) =>
        $"'{model}' is a premium model on a trivial call (output limited to 10 tokens); 'claude-haiku-4-5' costs "
        + (price.Input / sibling.Input).ToString("0.##", CultureInfo.InvariantCulture) + "x less per input token";

    private static EffectiveModelCatalog AnalyzersCatalog(string overrideText) =>
        ModelCatalogProvider.Get(
            new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new OverrideFile("/0/" + FileName, overrideText)), new NoOptions()),
            CancellationToken.None);

    private static ModelPriceCatalog RuntimeCatalog(string overrideText) =>
        ModelPriceCatalog.BuiltIn.WithOverrides(new MemoryStream(Encoding.UTF8.GetBytes(overrideText)), FileName);

    private static object?[] Prices(ModelInfo m) =>
    [
        (decimal)m.InputPrice!.Value, (decimal)m.OutputPrice!.Value, (decimal?)m.CacheWrite5mPrice, (decimal?)m.CacheWrite1hPrice,
        (decimal?)m.CacheReadPrice, m.LongContextThreshold, (decimal?)m.LongContextInputPrice, (decimal?)m.LongContextOutputPrice,
        m.MaxOutputTokens,
    ];

    private static object?[] Prices(ModelPrice p) =>
        [p.Input, p.Output, p.CacheWrite5m, p.CacheWrite1h, p.CacheRead, p.LongContextThreshold, p.LongContextInput, p.LongContextOutput, p.MaxOutputTokens];

    private sealed class OverrideFile(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class NoOptions : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Empty();

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

        private sealed class Empty : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
            {
                value = null;
                return false;
            }
        }
    }

    /// <summary>A provider that reports 2,000 plain input, 1,000 cache-read and 300 output tokens for every call.</summary>
    private sealed class UsageReportingClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "no"))
            {
                ModelId = options?.ModelId,
                Usage = new UsageDetails { InputTokenCount = 3_000, CachedInputTokenCount = 1_000, OutputTokenCount = 300 },
            });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
