using System;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace TokenLint.EndToEnd.Tests;

/// <summary>TokenLint.Runtime as a user gets it: the packed package in a new project, and the sample's offline run.</summary>
[Collection(PackedPackageCollection.Name)]
public sealed class RuntimePackageTests
{
    private readonly PackedPackageFixture _package;

    public RuntimePackageTests(PackedPackageFixture package)
    {
        _package = package;
    }

    [Fact]
    public void Package_TargetsNet8AndNet10_WithTheCatalogInside()
    {
        Assert.True(_package.RuntimePack.ExitCode == 0, _package.RuntimePack.Output);
        using var package = ZipFile.OpenRead(_package.RuntimePackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToArray();

        Assert.Contains("lib/net8.0/TokenLint.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/TokenLint.Runtime.dll", entries);
        Assert.Contains("README.md", entries);
        string nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
        Assert.Contains("Microsoft.Extensions.AI", nuspec);
        Assert.Contains("Microsoft.ML.Tokenizers", nuspec);
        Assert.DoesNotContain("TokenLint.Analysis", nuspec);
    }

    [Fact]
    public void NewProject_MetersABudgetedPipeline()
    {
        Assert.True(_package.RuntimePack.ExitCode == 0, _package.RuntimePack.Output);
        string project = _package.CreateConsoleProject("runtime-app", "RuntimeApp", "<ImplicitUsings>enable</ImplicitUsings>", package: "TokenLint.Runtime");
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using Microsoft.Extensions.AI;
            using TokenLint.Runtime;

            var ledger = new InMemoryTokenLedger();
            using IChatClient client = new ChatClientBuilder(new Provider())
                .UseTokenBudget(b => b.Limit(BudgetScope.Total, maxTokens: 5_000))
                .UseTokenMetering(ledger)
                .Build();

            using (TokenScope.Begin(agent: "triage"))
            {
                await client.GetResponseAsync("Is this urgent?", new ChatOptions { MaxOutputTokens = 10 });
                try
                {
                    await client.GetResponseAsync("Again", new ChatOptions { MaxOutputTokens = 4_000 });
                }
                catch (TokenBudgetExceededException e)
                {
                    Console.WriteLine("refused: " + e.Scope);
                }
            }

            var triage = ledger.ByAgent().Single();
            Console.WriteLine($"{triage.Key} {triage.Calls} {triage.Tokens.TotalInputTokens} {triage.Tokens.CacheReadTokens} {triage.CostUsd}");

            sealed class Provider : IChatClient
            {
                public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> m, ChatOptions? o = null, CancellationToken c = default) =>
                    Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "no"))
                    {
                        ModelId = "gpt-4.1",
                        Usage = new UsageDetails { InputTokenCount = 2_000, CachedInputTokenCount = 1_024, OutputTokenCount = 1 },
                    });

                public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> m, ChatOptions? o = null, CancellationToken c = default) =>
                    throw new NotSupportedException();

                public object? GetService(Type t, object? k = null) => null;

                public void Dispose() { }
            }
            """);

        var run = DotNet.Run(project, new[] { "run", "-c", "Release" }.Concat(_package.PackageProperties).ToArray());

        Assert.True(run.ExitCode == 0, run.Output);
        // gpt-4.1: 976 plain x $2 + 1,024 cached x $0.50 + 1 x $8 per million = $0.002472.
        Assert.Contains("refused: the total", run.Output);
        Assert.Matches(@"triage 1 2000 1024 0\.0024720*\n", run.Output);
    }

    [Fact]
    public void NewProject_CascadeAcceptsValidJson_EscalatesInvalidJson_AndNeverEscalatesABudgetRefusal()
    {
        Assert.True(_package.RuntimePack.ExitCode == 0, _package.RuntimePack.Output);
        string project = _package.CreateConsoleProject("runtime-cascade-app", "RuntimeCascadeApp", "<ImplicitUsings>enable</ImplicitUsings>", package: "TokenLint.Runtime");
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using Microsoft.Extensions.AI;
            using TokenLint.Runtime;
            using TokenLint.Runtime.Cascade;

            var policy = AcceptanceCheck.All(AcceptanceCheck.FinishedNormally(), AcceptanceCheck.StructuredOutput<Refund>(r => r.Amount >= 0));
            IChatClient Metered(string model, string answer, InMemoryTokenLedger ledger) =>
                new ChatClientBuilder(new Provider(model, answer)).UseTokenMetering(ledger).Build();

            var accepted = new InMemoryTokenLedger();
            using IChatClient valid = new ChatClientBuilder(Metered("gpt-4.1-mini", "{\"amount\": 12.5}", accepted))
                .UseCascade(o => o.Acceptance = policy, new CascadeTier(Metered("gpt-4.1", "{\"amount\": 12.5}", accepted), "strong"))
                .Build();
            var cheap = await valid.GetResponseAsync<Refund>("How much do we refund?");
            Console.WriteLine($"valid: {cheap.GetCascadeTier()} {cheap.Result.Amount} calls={accepted.Records.Count}");

            var escalatedLedger = new InMemoryTokenLedger();
            using IChatClient invalid = new ChatClientBuilder(Metered("gpt-4.1-mini", "Sure! We refund 12.5.", escalatedLedger))
                .UseCascade(o => o.Acceptance = policy, new CascadeTier(Metered("gpt-4.1", "{\"amount\": 12.5}", escalatedLedger), "strong"))
                .Build();
            var strong = await invalid.GetResponseAsync<Refund>("How much do we refund?");
            Console.WriteLine($"invalid: {strong.GetCascadeTier()} {strong.Result.Amount} rejected={strong.GetCascadeRejections().Count}");
            foreach (var model in escalatedLedger.ByModel().OrderBy(m => m.Key))
                Console.WriteLine($"spend {model.Key} {model.Calls} {model.CostUsd}");

            var strongProvider = new Provider("gpt-4.1", "{\"amount\": 1}");
            using IChatClient budgeted = new ChatClientBuilder(
                    new ChatClientBuilder(new Provider("gpt-4.1-mini", "{\"amount\": 1}")).UseTokenBudget(new TokenBudget().Limit(BudgetScope.Total, maxTokens: 10)).Build())
                .UseCascade(o => o.Acceptance = policy, strongProvider)
                .Build();
            try
            {
                await budgeted.GetResponseAsync("How much do we refund on order A-1002, which arrived broken?");
            }
            catch (TokenBudgetExceededException)
            {
                Console.WriteLine($"refused on tier 1, strong calls={strongProvider.Calls}");
            }

            record Refund(decimal Amount);

            sealed class Provider(string model, string answer) : IChatClient
            {
                public int Calls;

                public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> m, ChatOptions? o = null, CancellationToken c = default)
                {
                    Calls++;
                    return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
                    {
                        ModelId = model,
                        FinishReason = ChatFinishReason.Stop,
                        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 },
                    });
                }

                public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> m, ChatOptions? o = null, CancellationToken c = default) =>
                    throw new NotSupportedException();

                public object? GetService(Type t, object? k = null) => null;

                public void Dispose() { }
            }
            """);

        var run = DotNet.Run(project, new[] { "run", "-c", "Release" }.Concat(_package.PackageProperties).ToArray());

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("valid: tier0 12.5 calls=1", run.Output); // the cheap tier, named by position: the stub has no metadata
        Assert.Contains("invalid: strong 12.5 rejected=1", run.Output);
        // 100 input and 20 output tokens each: gpt-4.1-mini $0.40/$1.60, gpt-4.1 $2/$8 per million.
        Assert.Matches(@"spend gpt-4\.1 1 0\.000360*\n", run.Output);
        Assert.Matches(@"spend gpt-4\.1-mini 1 0\.0000720*\n", run.Output);
        Assert.Contains("refused on tier 1, strong calls=0", run.Output);
    }
}
