using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Tests.Fakes;

namespace TokenLint.Runtime.Tests;

public class BudgetTests
{
    private static IChatClient Budgeted(FakeChatClient fake, TokenBudget budget) =>
        new ChatClientBuilder(fake).UseTokenBudget(budget).Build();

    private static ChatOptions Limit(int maxOutput) => new() { MaxOutputTokens = maxOutput };

    [Fact]
    public async Task ACallThatWouldExceedTheCap_FailsBeforeItIsSent_NamingScopeCapSpendAndEstimate()
    {
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 900, OutputTokenCount = 50 });
        var budget = new TokenBudget().Limit(BudgetScope.EachSession, maxTokens: 1_000);
        var client = Budgeted(fake, budget);

        using (TokenScope.Begin(session: "c-42"))
        {
            await client.GetResponseAsync("What is my balance?", Limit(100));
            var error = await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("And my last payment?", Limit(100)));

            Assert.Equal(1, fake.Calls); // the second call never reached the provider
            Assert.Equal("session 'c-42'", error.Scope);
            Assert.Equal(BudgetScopeKind.Session, error.ScopeKind);
            Assert.Equal(BudgetUnit.Tokens, error.Unit);
            Assert.Equal(1_000m, error.Cap);
            Assert.Equal(950m, error.Spent); // settled to the reported usage, not the estimate
            Assert.Equal(0m, error.InFlight);
            Assert.True(error.Estimate > 100m);
            Assert.Contains("session 'c-42'", error.Message);
            Assert.Contains("1,000 tokens", error.Message);
            Assert.Contains("was not sent", error.Message);
        }

        using (TokenScope.Begin(session: "c-43"))
        {
            await client.GetResponseAsync("Another customer", Limit(100)); // each session has its own account
        }

        Assert.Equal(2, fake.Calls);
    }

    [Fact]
    public async Task DollarCap_UsesCatalogPrices_AndTheOutputLimitOfTheRequest()
    {
        // gpt-4.1: $8 per million output tokens; 10,000 output tokens reserve $0.08, over a $0.05 cap.
        var fake = new FakeChatClient("gpt-4.1");
        var client = Budgeted(fake, new TokenBudget().Limit(BudgetScope.Total, maxDollars: 0.05m));

        var error = await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi", Limit(10_000)));
        Assert.Equal(BudgetUnit.Dollars, error.Unit);
        Assert.Equal(0.05m, error.Cap);
        Assert.Contains("$0.05", error.Message);

        await client.GetResponseAsync("hi", Limit(1_000)); // $0.008 + input: fits
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task WithoutARequestLimit_OutputIsReservedAtTheModelsMaximum()
    {
        // gpt-4.1's catalog maximum is 32,768 output tokens.
        var client = Budgeted(new FakeChatClient("gpt-4.1"), new TokenBudget().Limit(BudgetScope.Total, maxTokens: 30_000));

        var error = await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi"));

        Assert.True(error.Estimate > 32_768m);
    }

    [Fact]
    public async Task ZeroCap_BlocksEveryCall()
    {
        var fake = new FakeChatClient();
        var client = Budgeted(fake, new TokenBudget().Limit(BudgetScope.Agent("intern"), maxDollars: 0m));

        using (TokenScope.Begin(agent: "intern"))
        {
            var error = await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi", Limit(1)));
            Assert.Contains("blocks every call", error.Message);
        }

        await client.GetResponseAsync("hi", Limit(1)); // outside the agent's scope the limit does not apply
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task UnknownModelUnderADollarCap_IsRefusedWithAClearMessage_UnderATokenCapItRuns()
    {
        var fake = new FakeChatClient("contoso-deployment-7");

        var refused = await Assert.ThrowsAsync<UnpricedModelException>(() =>
            Budgeted(fake, new TokenBudget().Limit(BudgetScope.Total, maxDollars: 10m)).GetResponseAsync("hi", Limit(10)));
        Assert.Contains("contoso-deployment-7", refused.Message);
        Assert.Contains("WithOverrides", refused.Message);
        Assert.Equal(0, fake.Calls);

        await Budgeted(fake, new TokenBudget().Limit(BudgetScope.Total, maxTokens: 10_000)).GetResponseAsync("hi", Limit(10));
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task AFailedCall_GivesItsReservationBack()
    {
        var fake = new FakeChatClient { Failure = new InvalidOperationException("503") };
        var budget = new TokenBudget().Limit(BudgetScope.Total, maxTokens: 1_000);
        var client = Budgeted(fake, budget);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("hi", Limit(500)));

        var account = Assert.Single(budget.Accounts);
        Assert.Equal((0L, 0L), (account.SpentTokens, account.ReservedTokens));
    }

    [Fact]
    public void Streaming_IsCheckedWhenTheCallIsMade_InItsScope()
    {
        var fake = new FakeChatClient();
        var client = Budgeted(fake, new TokenBudget().Limit(BudgetScope.EachSession, maxTokens: 10));

        using (TokenScope.Begin(session: "s-1"))
        {
            // Refused at the call, not when (or in whatever scope) the stream is read.
            Assert.Throws<TokenBudgetExceededException>(() => client.GetStreamingResponseAsync("hi", Limit(100)));
        }

        Assert.Equal(0, fake.Calls);
    }

    [Fact]
    public async Task ATimedOutCall_IsChargedItsPrompt_ARejectedOneNothing()
    {
        var fake = new FakeChatClient { Failure = new TaskCanceledException("timeout") };
        var budget = new TokenBudget().Limit(BudgetScope.Total, maxTokens: 100_000);
        var client = Budgeted(fake, budget);

        await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetResponseAsync("Summarise the attached policy.", Limit(500)));
        long afterTimeout = Assert.Single(budget.Accounts).SpentTokens;
        fake.Failure = new System.Net.Http.HttpRequestException("429", null, System.Net.HttpStatusCode.TooManyRequests);
        await Assert.ThrowsAsync<System.Net.Http.HttpRequestException>(() => client.GetResponseAsync("Summarise the attached policy.", Limit(500)));

        Assert.InRange(afterTimeout, 5, 20); // the prompt's estimate, not its 500 output tokens
        Assert.Equal(afterTimeout, Assert.Single(budget.Accounts).SpentTokens);
    }

    [Fact]
    public async Task UnlimitedOutputTokens_ReplacesTheModelsMaximumInTheEstimate()
    {
        // claude-sonnet-4-5 can write 64,000 tokens ($0.96); the adapter's own default is 1,024.
        var fake = new FakeChatClient("claude-sonnet-4-5");
        var strict = Budgeted(fake, new TokenBudget().Limit(BudgetScope.Total, maxDollars: 0.50m));
        var tuned = Budgeted(fake, new TokenBudget(estimator: new RequestEstimator(unlimitedOutputTokens: 1_024)).Limit(BudgetScope.Total, maxDollars: 0.50m));

        await Assert.ThrowsAsync<TokenBudgetExceededException>(() => strict.GetResponseAsync("hi"));
        await tuned.GetResponseAsync("hi");
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task APeriod_StartsTheAccountAgain()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 900, OutputTokenCount = 50 });
        var client = Budgeted(fake, new TokenBudget(timeProvider: time).Limit(BudgetScope.Total, maxTokens: 1_000, per: TimeSpan.FromDays(1)));

        await client.GetResponseAsync("hi", Limit(10));
        await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi", Limit(100)));
        time.Advance(TimeSpan.FromDays(1));
        await client.GetResponseAsync("hi", Limit(100));

        Assert.Equal(2, fake.Calls);
    }

    [Fact]
    public async Task ADailyPeriod_EndsAtMidnightUtc_NotADayAfterTheFirstCall()
    {
        // First call at 23:58 UTC: the day it counts in ends two minutes later, for every process alike.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 9, 23, 58, 0, TimeSpan.Zero));
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 900, OutputTokenCount = 50 });
        var client = Budgeted(fake, new TokenBudget(timeProvider: time).Limit(BudgetScope.Total, maxTokens: 1_000, per: TimeSpan.FromDays(1)));

        await client.GetResponseAsync("hi", Limit(10));
        time.Advance(TimeSpan.FromMinutes(1)); // 23:59: the same day
        await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi", Limit(100)));
        time.Advance(TimeSpan.FromMinutes(1)); // 00:00 UTC: a new day
        await client.GetResponseAsync("hi", Limit(100));

        Assert.Equal(2, fake.Calls);
    }

    [Fact]
    public void Periods_AreLaidEndToEndFromMidnightUtc_WeeksFromMonday()
    {
        var budget = new TokenBudget()
            .Limit(BudgetScope.Total, maxTokens: 1, per: TimeSpan.FromDays(1))
            .Limit(BudgetScope.Total, maxTokens: 1, per: TimeSpan.FromDays(7))
            .Limit(BudgetScope.Total, maxTokens: 1, per: TimeSpan.FromHours(1))
            .Limit(BudgetScope.Total, maxTokens: 1);
        var now = new DateTimeOffset(2026, 3, 12, 17, 45, 0, TimeSpan.FromHours(2)); // Thursday 15:45 UTC

        var starts = budget.Limits.Select(l => l.PeriodStart(now)).ToArray();

        Assert.Equal(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero), starts[0]);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 0, 0, 0, TimeSpan.Zero), starts[1]); // Monday
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 15, 0, 0, TimeSpan.Zero), starts[2]);
        Assert.Equal(DateTimeOffset.MinValue, starts[3]);
    }

    [Fact]
    public void LimitIds_AreTheSameInEveryProcess_AndNumberRepeats()
    {
        static TokenBudget Configure() => new TokenBudget()
            .Limit(BudgetScope.EachSession, maxDollars: 1m, per: TimeSpan.FromDays(1))
            .Limit(BudgetScope.Agent("planner"), maxTokens: 10)
            .Limit(BudgetScope.Total, maxTokens: 10)
            .Limit(BudgetScope.Total, maxDollars: 5m);

        var ids = Configure().Limits.Select(l => l.Id).ToArray();

        Assert.Equal(ids, Configure().Limits.Select(l => l.Id));
        Assert.Equal(["session:*/864000000000", "agent:planner", "total", "total#1"], ids);
    }

    [Fact]
    public async Task TheBudgetAndTheLedger_PriceOneHourWritesAlike()
    {
        var fake = new FakeChatClient("claude-opus-4-6", _ => new UsageDetails
        {
            InputTokenCount = 10_000,
            OutputTokenCount = 10,
            AdditionalCounts = new() { [UsageNormalizer.CacheWriteTokensKey] = 10_000 },
        });
        var budget = new TokenBudget().Limit(BudgetScope.Total, maxDollars: 10m);
        var ledger = new InMemoryTokenLedger();
        var client = new ChatClientBuilder(fake).UseTokenBudget(budget).UseTokenMetering(ledger).Build();
        var system = new TextContent("Policy").WithCacheControl(Anthropic.Models.Messages.Ttl.Ttl1h);

        await client.GetResponseAsync([new ChatMessage(ChatRole.System, [system]), new ChatMessage(ChatRole.User, "q")], Limit(10));

        Assert.Equal(ledger.Totals.CostUsd, Assert.Single(budget.Accounts).SpentDollars);
        Assert.Equal(0.10025m, ledger.Totals.CostUsd); // 10,000 x $10 (1-hour write) + 10 x $25, per million
    }

    [Fact]
    public async Task TheBudgetOfABuiltPipeline_IsReachableThroughGetService()
    {
        var client = new ChatClientBuilder(new FakeChatClient()).UseTokenBudget(b => b.Limit(BudgetScope.Total, maxTokens: 10_000)).Build();

        await client.GetResponseAsync("hi", Limit(10));

        Assert.Equal(120, Assert.Single(client.GetService<TokenBudget>()!.Accounts).SpentTokens);
    }

    [Fact]
    public async Task ACallNoLimitAppliesTo_IsNotSized()
    {
        // A per-session cap and a call outside any session: no account, no reservation, and no tokenizer pass over
        // the prompt (messages that cannot be enumerated would throw if they were read).
        var fake = new FakeChatClient();
        var budget = new TokenBudget().Limit(BudgetScope.EachSession, maxTokens: 10);
        var client = Budgeted(fake, budget);

        await client.GetResponseAsync(new UnreadableMessages(), Limit(100));

        Assert.Equal(1, fake.Calls);
        Assert.Empty(budget.Accounts);
    }

    private sealed class UnreadableMessages : System.Collections.Generic.IEnumerable<ChatMessage>
    {
        public System.Collections.Generic.IEnumerator<ChatMessage> GetEnumerator() => throw new InvalidOperationException("the prompt was read");

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task NestedAgents_CountAgainstBothAgentsLimits()
    {
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 400, OutputTokenCount = 100 });
        var budget = new TokenBudget().Limit(BudgetScope.Agent("planner"), maxTokens: 900).Limit(BudgetScope.EachAgent, maxTokens: 100_000);
        var client = Budgeted(fake, budget);

        using (TokenScope.Begin(agent: "planner"))
        using (TokenScope.Begin(agent: "billing"))
        {
            await client.GetResponseAsync("hi", Limit(10));
            await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi", Limit(500)));
        }

        var spent = budget.Accounts.Where(a => a.Scope == BudgetScope.EachAgent).ToDictionary(a => a.Key!, a => a.SpentTokens);
        Assert.Equal(500, spent["planner"]);
        Assert.Equal(500, spent["billing"]);
    }

    [Fact]
    public async Task Streaming_ReservesBeforeAndSettlesAfter()
    {
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 300, OutputTokenCount = 30 });
        var budget = new TokenBudget().Limit(BudgetScope.Total, maxTokens: 10_000);
        var client = Budgeted(fake, budget);

        await foreach (var update in client.GetStreamingResponseAsync("hi", Limit(100)))
        {
            Assert.True(Assert.Single(budget.Accounts).ReservedTokens > 100); // reserved while streaming
        }

        var account = Assert.Single(budget.Accounts);
        Assert.Equal((330L, 0L), (account.SpentTokens, account.ReservedTokens));
    }

    [Fact]
    public async Task SixtyFourConcurrentCalls_NeverOvershootTheCap()
    {
        // Each call reports exactly its output limit and a prompt no larger than estimated: the cap must hold exactly.
        const long Cap = 50_000;
        long inFlight = 0, maxInFlight = 0;
        var gate = new SemaphoreSlim(0);
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 5, OutputTokenCount = 1_000 })
        {
            Delay = async () =>
            {
                long now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                await Task.Delay(1);
                Interlocked.Decrement(ref inFlight);
            },
        };
        var budget = new TokenBudget().Limit(BudgetScope.Total, maxTokens: Cap);
        var client = Budgeted(fake, budget);
        int refused = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 640), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (_, _) =>
        {
            try
            {
                await client.GetResponseAsync("hi", Limit(1_000));
            }
            catch (TokenBudgetExceededException)
            {
                Interlocked.Increment(ref refused);
            }
        });

        var account = Assert.Single(budget.Accounts);
        Assert.True(account.SpentTokens <= Cap, $"spent {account.SpentTokens} of {Cap}");
        Assert.Equal(0, account.ReservedTokens);
        Assert.Equal(fake.Calls * 1_005, account.SpentTokens);
        Assert.True(refused > 0);
        Assert.Equal(640, fake.Calls + refused);
        Assert.True(maxInFlight > 1, "the test should run calls concurrently");
        gate.Dispose();
    }

    [Fact]
    public async Task TenThousandCallsOn64Tasks_TheCapHoldsWithinInFlightCalls_AndTheLedgerMatchesTheProvider()
    {
        // Calls report more input than the pre-flight estimate of "hi" (a system prompt the estimate cannot see is
        // the usual cause), so the cap can only be overshot by what calls already in flight report beyond theirs.
        const long Cap = 5_000_000;
        long providerTokens = 0, maxCallTokens = 0;
        var fake = new FakeChatClient("claude-sonnet-4-5", i =>
        {
            long input = 500 + (i % 997), output = 1 + (i % 89);
            Interlocked.Add(ref providerTokens, input + output);
            InterlockedMax(ref maxCallTokens, input + output);
            return new UsageDetails { InputTokenCount = input, OutputTokenCount = output };
        })
        { Delay = async () => await Task.Yield() };
        var budget = new TokenBudget().Limit(BudgetScope.Total, maxTokens: Cap);
        var ledger = new InMemoryTokenLedger();
        var client = new ChatClientBuilder(fake).UseTokenBudget(budget).UseTokenMetering(ledger).Build();
        int refused = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (_, _) =>
        {
            try
            {
                await client.GetResponseAsync("hi", Limit(100));
            }
            catch (TokenBudgetExceededException)
            {
                Interlocked.Increment(ref refused);
            }
        });

        var account = Assert.Single(budget.Accounts);
        Assert.True(refused > 0, "the cap should bind in this test");
        Assert.Equal(10_000, fake.Calls + refused);
        Assert.Equal(providerTokens, ledger.Totals.Tokens.TotalTokens);
        Assert.Equal(providerTokens, account.SpentTokens);
        Assert.Equal(0, account.ReservedTokens);
        Assert.True(account.SpentTokens <= Cap + 63 * maxCallTokens, $"spent {account.SpentTokens}, cap {Cap}");
    }

    [Fact]
    public async Task Rejections_AreCountedInMetrics_TaggedByScopeKind()
    {
        using var meterFactory = new TestMeterFactory();
        using var rejections = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            meterFactory, Diagnostics.TokenLintMetrics.MeterName, Diagnostics.TokenLintMetrics.BudgetRejectionsInstrument);
        var client = new TokenBudgetChatClient(new FakeChatClient(), new TokenBudget().Limit(BudgetScope.EachSession, maxTokens: 0), new Diagnostics.TokenLintMetrics(meterFactory));

        using (TokenScope.Begin(agent: "triage", session: "s-1"))
        {
            await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi"));
        }

        var measurement = Assert.Single(rejections.GetMeasurementSnapshot());
        Assert.Equal("session", measurement.Tags["tokenlint.budget.scope"]);
        Assert.Equal("triage", measurement.Tags["tokenlint.agent"]);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
