using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using TokenLint.Runtime;
using TokenLint.Runtime.Tests.Fakes;

namespace TokenLint.Postgres.Tests;

public sealed class PostgresBudgetStoreTests(PostgresSchemaFixture db) : IClassFixture<PostgresSchemaFixture>
{
    private static readonly ChatOptions Thousand = new() { MaxOutputTokens = 1_000 };

    [Fact]
    public async Task Reserves_settles_and_refuses_past_the_cap()
    {
        var store = Store(db.NewSchema());
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 900, OutputTokenCount = 50 });
        var budget = new TokenBudget(store: store).Limit(BudgetScope.Total, maxTokens: 1_000);
        var client = new ChatClientBuilder(fake).UseTokenBudget(budget).Build();

        await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 10 });
        var refused = await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 100 }));

        Assert.Equal(1, fake.Calls);
        Assert.Equal((950m, 0m, 1_000m), (refused.Spent, refused.InFlight, refused.Cap));
        var account = Assert.Single(budget.Accounts);
        Assert.Equal((950L, 0L), (account.SpentTokens, account.ReservedTokens));
    }

    [Fact]
    public async Task Two_budgets_on_one_database_share_each_limit_and_keep_other_names_apart()
    {
        var names = db.NewSchema();
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 400, OutputTokenCount = 100 });
        IChatClient Client(string budgetName) => new ChatClientBuilder(fake)
            .UseTokenBudget(new TokenBudget(store: Store(names, budgetName)).Limit(BudgetScope.EachSession, maxTokens: 1_000, per: TimeSpan.FromDays(1)))
            .Build();
        var first = Client("app");
        var second = Client("app");
        var other = Client("other-app");

        using (TokenScope.Begin(session: "s-1"))
        {
            await first.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 10 });
            await second.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 10 });
            await Assert.ThrowsAsync<TokenBudgetExceededException>(() => first.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 10 }));
            await other.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 10 });
        }

        using (TokenScope.Begin(session: "s-2"))
        {
            await second.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 10 });
        }

        Assert.Equal(4, fake.Calls);
    }

    [Fact]
    public async Task Many_connections_and_tasks_never_take_a_dollar_cap_past_it_and_lose_no_spend()
    {
        const decimal Cap = 0.25m;
        var names = db.NewSchema();
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 5, OutputTokenCount = 900 });
        // Four pools, as four processes would have, sixteen tasks each, on one cap.
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(db.ConnectionString)).ToArray();
        long calls = 0;
        try
        {
            var clients = sources.Select(s => new ChatClientBuilder(fake)
                .UseTokenBudget(new TokenBudget(store: new PostgresBudgetStore(s, new PostgresBudgetStoreOptions { Names = names, OperationTimeout = TimeSpan.FromSeconds(60) })).Limit(BudgetScope.Total, maxDollars: Cap))
                .Build()).ToArray();
            await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                // Bounded: a cap that does not hold ends the test with too many calls rather than never.
                for (int call = 0; call < 50; call++)
                {
                    try
                    {
                        await c.GetResponseAsync("hi", Thousand);
                        Interlocked.Increment(ref calls);
                    }
                    catch (TokenBudgetExceededException)
                    {
                        return;
                    }
                }
            }))));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }

        decimal perCall = PerCall(5, 900);
        var (spent, reserved) = await Totals(names);
        Assert.Equal(calls, fake.Calls);
        Assert.Equal(calls * perCall, spent);     // every settle counted once
        Assert.Equal(0m, reserved);               // every reservation released
        Assert.True(spent <= Cap, $"spent {spent} past the cap {Cap}");
        Assert.True(calls >= 20, $"only {calls} calls of the {(int)(Cap / perCall)} that fit"); // the cap was reached, not refused early
    }

    [Fact]
    public async Task Four_processes_of_sixteen_tasks_stay_within_one_cap()
    {
        const decimal Cap = 0.30m;
        var names = db.NewSchema();
        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, names);

        var workers = Enumerable.Range(0, 4).Select(_ => WorkerProcess.Start("spend", names.Schema, "0.30", "16")).ToArray();
        long calls = 0;
        foreach (var worker in workers)
        {
            using (worker)
            {
                string output = await worker.OutputAsync();
                calls += long.Parse(output.Trim().Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var (spent, reserved) = await Totals(names);
        Assert.Equal(calls * PerCall(5, 900), spent);
        Assert.Equal(0m, reserved);
        Assert.True(spent <= Cap, $"spent {spent} past the cap {Cap}");
        Assert.True(calls >= 20, $"only {calls} calls");
    }

    [Fact]
    public async Task A_killed_process_reservation_is_released_after_its_lease_and_a_live_one_is_renewed()
    {
        var names = db.NewSchema();
        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, names);
        // Room for one call's reservation ($0.008) and not two.
        using var holder = WorkerProcess.Start("hold", names.Schema, "0.012", "1500");
        Assert.Equal("in-call", await holder.ReadLineAsync());
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 5, OutputTokenCount = 900 });
        var client = new ChatClientBuilder(fake)
            .UseTokenBudget(new TokenBudget(store: Store(names)).Limit(BudgetScope.Total, maxDollars: 0.012m))
            .Build();

        // Alive past two leases: the holder renews, and its reservation still holds the room.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await Assert.ThrowsAsync<TokenBudgetExceededException>(() => client.GetResponseAsync("hi", Thousand));

        await holder.KillAsync();
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("budget_reservations")}"));
        await WaitUntilAsync(async () => await db.ScalarAsync<long>($"SELECT count(*) FROM {names.Table("budget_reservations")} WHERE expires_at >= now()") == 0);

        await client.GetResponseAsync("hi", Thousand);
        Assert.Equal(1, fake.Calls);
        var (spent, reserved) = await Totals(names);
        Assert.Equal((PerCall(5, 900), 0m), (spent, reserved));
    }

    [Fact]
    public async Task An_unreachable_database_fails_closed_and_names_no_password()
    {
        var names = db.NewSchema();
        var logs = new FakeLogCollector();
        var (client, fake, relay) = await ThroughRelay(names, failOpen: false, logs);
        await using (relay)
        {
            await client.GetResponseAsync("hi", Thousand);

            relay.Cut();
            var refused = await Assert.ThrowsAsync<BudgetStoreUnavailableException>(() => client.GetResponseAsync("hi", Thousand));

            Assert.IsAssignableFrom<TokenGuardException>(refused);
            Assert.Equal(1, fake.Calls);
            Assert.Contains("could not be reached", refused.Message, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresTestServer.Password, refused.ToString(), StringComparison.Ordinal);
            var error = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Error);
            Assert.Contains("refused (fail-closed)", error.Message, StringComparison.Ordinal);
            Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain(PostgresTestServer.Password, r.Message + r.Exception, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Fail_open_sends_the_call_and_logs_an_error()
    {
        var logs = new FakeLogCollector();
        var (client, fake, relay) = await ThroughRelay(db.NewSchema(), failOpen: true, logs);
        await using (relay)
        {
            relay.Cut();
            await client.GetResponseAsync("hi", Thousand);

            Assert.Equal(1, fake.Calls);
            Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("fail-open", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Fail_open_spend_reaches_the_accounts_when_the_database_answers_at_settle()
    {
        // A store that could not reserve hands back an unleased reservation; its settle adds the spend by key.
        var names = db.NewSchema();
        var store = Store(names, failOpen: true);
        var budget = new TokenBudget(store: store).Limit(BudgetScope.Total, maxTokens: 10_000, per: TimeSpan.FromHours(1));
        await store.MigrateAsync();

        await store.SettleAsync(new BudgetReservation([new BudgetCharge(budget.Limits[0], "")], new BudgetAmount(100, 0m)), new BudgetAmount(120, 0.5m));

        var account = Assert.Single(budget.Accounts);
        Assert.Equal((120L, 0.5m, 0L), (account.SpentTokens, account.SpentDollars, account.ReservedTokens));
    }

    private PostgresBudgetStore Store(PostgresSchemaNames names, string budget = "default", bool failOpen = false) =>
        new(db.DataSource, new PostgresBudgetStoreOptions { Names = names, BudgetName = budget, FailOpen = failOpen });

    private async Task<(IChatClient Client, FakeChatClient Fake, OutageProxy Relay)> ThroughRelay(PostgresSchemaNames names, bool failOpen, FakeLogCollector logs)
    {
        await PostgresSchemaMigrator.MigrateAsync(db.DataSource, names);
        var relay = new OutageProxy(db.ConnectionString);
        var source = NpgsqlDataSource.Create(relay.ConnectionString);
        var logger = new FakeLogger<PostgresBudgetStore>(logs);
        var store = new PostgresBudgetStore(source, new PostgresBudgetStoreOptions { Names = names, FailOpen = failOpen, OperationTimeout = TimeSpan.FromSeconds(3) }, logger);
        var fake = new FakeChatClient("gpt-4.1", _ => new UsageDetails { InputTokenCount = 5, OutputTokenCount = 900 });
        var client = new ChatClientBuilder(fake).UseTokenBudget(new TokenBudget(store: store).Limit(BudgetScope.Total, maxDollars: 1m)).Build();
        return (client, fake, relay);
    }

    private async Task<(decimal Spent, decimal Reserved)> Totals(PostgresSchemaNames names)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT coalesce(sum(spent_dollars), 0), coalesce(sum(reserved_dollars), 0) FROM {names.Table("budget_accounts")}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDecimal(0), reader.GetDecimal(1));
    }

    private static decimal PerCall(long input, long output) =>
        ModelPriceCatalog().TryGetPrice("gpt-4.1", out var price)
            ? price.Cost(new TokenCounts { InputTokens = input, OutputTokens = output })
            : throw new InvalidOperationException("gpt-4.1 has no price.");

    private static TokenLint.Runtime.Pricing.ModelPriceCatalog ModelPriceCatalog() => TokenLint.Runtime.Pricing.ModelPriceCatalog.BuiltIn;

    /// <summary>Polls a condition the database decides (a lease's end), failing after 30 s.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
