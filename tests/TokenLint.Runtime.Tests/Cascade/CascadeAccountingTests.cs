using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenLint.Runtime.Cascade;
using TokenLint.Runtime.Diagnostics;

namespace TokenLint.Runtime.Tests.Cascade;

/// <summary>
/// Every attempt is metered once, under its own model, wherever the metering sits: inside each tier, in the cascade's
/// options, or above the cascade. Prices: gpt-4.1-mini $0.40/$1.60, gpt-4.1 $2/$8 per million tokens.
/// </summary>
public class CascadeAccountingTests
{
    private const decimal CheapCall = (100 * 0.40m + 20 * 1.60m) / 1_000_000m;
    private const decimal StrongCall = (100 * 2m + 20 * 8m) / 1_000_000m;

    private static (ScriptedChatClient Cheap, ScriptedChatClient Strong) Tiers(string cheapAnswer) =>
        (new ScriptedChatClient("gpt-4.1-mini", cheapAnswer), new ScriptedChatClient("gpt-4.1", "24"));

    private static IChatClient MeteredAbove(InMemoryTokenLedger ledger)
    {
        var (cheap, strong) = Tiers("25");
        return new ChatClientBuilder(cheap)
            .UseTokenMetering(ledger)
            .UseCascade(o => o.Acceptance = CascadeChatClientTests.Says24, strong)
            .Build();
    }

    private static IChatClient MeteredAboveAndInside(InMemoryTokenLedger ledger)
    {
        var (cheap, strong) = Tiers("25");
        return new ChatClientBuilder(new ChatClientBuilder(cheap).UseTokenMetering(ledger).Build())
            .UseTokenMetering(ledger)
            .UseCascade(o => o.Acceptance = CascadeChatClientTests.Says24, new ChatClientBuilder(strong).UseTokenMetering(ledger).Build())
            .Build();
    }

    private static void AssertBothTiersPricedOnce(InMemoryTokenLedger ledger)
    {
        Assert.Equal(["gpt-4.1-mini", "gpt-4.1"], ledger.Records.Select(r => r.Model));
        Assert.Equal([CheapCall, StrongCall], ledger.Records.Select(r => r.CostUsd!.Value));
        Assert.Equal(CheapCall + StrongCall, ledger.Totals.CostUsd);
    }

    [Fact]
    public async Task MeteringInsideEachTier_RecordsTheRejectedAndTheAcceptedCall_EachAtItsModelsPrice()
    {
        var ledger = new InMemoryTokenLedger();
        var (cheap, strong) = Tiers("25");
        // The cheap tier's metering sits inside its own pipeline, below the cascade (a UseTokenMetering written
        // before UseCascade in the same builder would sit above it).
        var client = new ChatClientBuilder(new ChatClientBuilder(cheap).UseTokenMetering(ledger).Build())
            .UseCascade(o => o.Acceptance = CascadeChatClientTests.Says24, new ChatClientBuilder(strong).UseTokenMetering(ledger).Build())
            .Build();

        var response = await client.GetResponseAsync("legs?");

        AssertBothTiersPricedOnce(ledger);
        Assert.All(response.GetCascadeAttempts(), a => Assert.True(a.Metered));
    }

    [Fact]
    public async Task MeteringAboveTheCascade_PricesEachAttemptUnderItsOwnModel_NotTheAnswersModel()
    {
        var ledger = new InMemoryTokenLedger();
        var client = MeteredAbove(ledger);

        await client.GetResponseAsync("legs?");

        AssertBothTiersPricedOnce(ledger);
    }

    [Fact]
    public async Task MeteringAboveAndInside_CountsNoTokenTwice()
    {
        var ledger = new InMemoryTokenLedger();
        var client = MeteredAboveAndInside(ledger);

        await client.GetResponseAsync("legs?");

        AssertBothTiersPricedOnce(ledger);
    }

    [Fact]
    public async Task MeteringAboveAndInside_Streaming_CountsNoTokenTwice()
    {
        var ledger = new InMemoryTokenLedger();
        var client = MeteredAboveAndInside(ledger);

        await client.GetStreamingResponseAsync("legs?").ToChatResponseAsync();

        AssertBothTiersPricedOnce(ledger);
    }

    [Fact]
    public async Task MeteringAboveTheCascade_Streaming_PricesEachAttemptUnderItsOwnModel()
    {
        var ledger = new InMemoryTokenLedger();
        var client = MeteredAbove(ledger);

        var response = await client.GetStreamingResponseAsync("legs?").ToChatResponseAsync();

        Assert.Equal("24", response.Text);
        Assert.Equal("gpt-4.1", response.GetCascadeTier());
        AssertBothTiersPricedOnce(ledger);
    }

    [Fact]
    public async Task CascadeOptionsMetering_RecordsTiersAndChecksCalls_AndAMeterAboveAddsNothing()
    {
        var ledger = new InMemoryTokenLedger();
        var (cheap, strong) = Tiers("#### 25");
        var metering = new TokenMeteringOptions { EmitMetrics = false };
        metering.Sinks.Add(ledger);
        var client = new ChatClientBuilder(cheap)
            .UseTokenMetering(ledger)
            .UseCascade(o =>
            {
                o.Metering = metering;
                o.Acceptance = AcceptanceCheck.SelfConsistency(2, 2, 0.7f, text => text);
            }, strong)
            .Build();

        var response = await client.GetResponseAsync("legs?");

        // The cheap answer, one self-consistency sample of the cheap tier (paid, "#### 25" again: accepted).
        Assert.Equal(["gpt-4.1-mini", "gpt-4.1-mini"], ledger.Records.Select(r => r.Model));
        Assert.Equal(2 * CheapCall, ledger.Totals.CostUsd);
        Assert.Equal([CascadeAttemptOutcome.Accepted, CascadeAttemptOutcome.Check], response.GetCascadeAttempts().Select(a => a.Outcome));
        Assert.Equal(0, strong.Calls);
    }

    [Fact]
    public async Task JudgeCall_IsAnAttempt_MeteredUnderTheJudgesModel()
    {
        var ledger = new InMemoryTokenLedger();
        var (cheap, strong) = Tiers("25");
        var judge = new ScriptedChatClient("gpt-4.1", "Score: 3");
        var client = new ChatClientBuilder(cheap)
            .UseTokenMetering(ledger)
            .UseCascade(o => o.Acceptance = AcceptanceCheck.Judge(judge, "the count is right"), strong)
            .Build();

        var response = await client.GetResponseAsync("legs?");

        Assert.Equal(["gpt-4.1-mini", "gpt-4.1", "gpt-4.1"], ledger.Records.Select(r => r.Model));
        Assert.Equal(CheapCall + 2 * StrongCall, ledger.Totals.CostUsd);
        Assert.Equal(["gpt-4.1-mini: the judge scored 3/10, 7 needed"], response.GetCascadeRejections());
    }

    [Fact]
    public async Task Metrics_CountAttemptsAcceptsAndEscalationsPerTier_WithTheReason()
    {
        using var meterFactory = new TestMeterFactory();
        var metrics = new TokenLintMetrics(meterFactory);
        using var attempts = new MetricCollector<long>(meterFactory, TokenLintMetrics.MeterName, TokenLintMetrics.CascadeAttemptsInstrument);
        using var accepts = new MetricCollector<long>(meterFactory, TokenLintMetrics.MeterName, TokenLintMetrics.CascadeAcceptsInstrument);
        using var escalations = new MetricCollector<long>(meterFactory, TokenLintMetrics.MeterName, TokenLintMetrics.CascadeEscalationsInstrument);
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "24", "25");
        var strong = new ScriptedChatClient("gpt-4.1", "24");
        var client = CascadeChatClientTests.Cascade(cheap, strong, o =>
        {
            o.EmitMetrics = true;
            o.Metrics = metrics;
        });

        await client.GetResponseAsync("legs?"); // cheap accepted
        await client.GetResponseAsync("legs?"); // cheap rejected by says_24, strong returned
        cheap.Failure = new System.TimeoutException();
        await client.GetResponseAsync("legs?"); // cheap failed, strong returned

        Assert.Equal(new Dictionary<string, long> { ["gpt-4.1-mini"] = 3, ["strong"] = 2 }, Sum(attempts, "tokenlint.cascade.tier"));
        Assert.Equal(new Dictionary<string, long> { ["gpt-4.1-mini"] = 1, ["strong"] = 2 }, Sum(accepts, "tokenlint.cascade.tier"));
        Assert.Equal(new Dictionary<string, long> { ["says_24"] = 1, ["error"] = 1 }, Sum(escalations, "tokenlint.cascade.reason"));
        Assert.All(escalations.GetMeasurementSnapshot(), m => Assert.Equal("gpt-4.1-mini", m.Tags["tokenlint.cascade.tier"]));
    }

    private static Dictionary<string, long> Sum(MetricCollector<long> collector, string tag) =>
        collector.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags[tag]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
}
