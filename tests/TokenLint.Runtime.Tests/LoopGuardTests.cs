using System;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using TokenLint.Runtime.Tests.Fakes;

namespace TokenLint.Runtime.Tests;

public class LoopGuardTests
{
    private static (IChatClient Client, FakeChatClient Fake, FakeTimeProvider Time) Guarded(int max = 3)
    {
        var time = new FakeTimeProvider();
        var fake = new FakeChatClient();
        var client = new ChatClientBuilder(fake).UseLoopGuard(o =>
        {
            o.MaxIdenticalRequests = max;
            o.Window = TimeSpan.FromSeconds(30);
            o.TimeProvider = time;
        }).Build();
        return (client, fake, time);
    }

    [Fact]
    public async Task TripsOnTheNthIdenticalRequest_WhichIsNotSent()
    {
        var (client, fake, _) = Guarded(max: 3);

        await client.GetResponseAsync("Summarise ticket 42");
        await client.GetResponseAsync("Summarise ticket 42");
        var error = await Assert.ThrowsAsync<RequestLoopDetectedException>(() => client.GetResponseAsync("Summarise ticket 42"));

        Assert.Equal(2, fake.Calls);
        Assert.Equal(3, error.Count);
        Assert.Equal(16, error.Fingerprint.Length);
        Assert.Contains("3 times within 30 s", error.Message);
    }

    [Fact]
    public async Task DifferentRequestsOptionsOrSessions_AreNotALoop()
    {
        var (client, fake, _) = Guarded(max: 2);

        await client.GetResponseAsync("Summarise ticket 42");
        await client.GetResponseAsync("Summarise ticket 43");
        await client.GetResponseAsync("Summarise ticket 42", new ChatOptions { Temperature = 0.2f });
        await client.GetResponseAsync("Summarise ticket 42", new ChatOptions { ModelId = "gpt-4.1-mini" });
        using (TokenScope.Begin(session: "other-user"))
        {
            await client.GetResponseAsync("Summarise ticket 42");
        }

        Assert.Equal(5, fake.Calls);
    }

    [Fact]
    public async Task RequestsThatDifferOnlyInHostedFilesSchemasOrStopSequences_AreNotALoop()
    {
        var (client, fake, _) = Guarded(max: 2);
        var schemaA = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""").RootElement;
        var schemaB = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"b":{"type":"string"}}}""").RootElement;

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("Summarise"), new HostedFileContent("file-1")])]);
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("Summarise"), new HostedFileContent("file-2")])]);
        await client.GetResponseAsync("Extract", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaA) });
        await client.GetResponseAsync("Extract", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schemaB) });
        await client.GetResponseAsync("List", new ChatOptions { StopSequences = ["\n\n"] });
        await client.GetResponseAsync("List", new ChatOptions { StopSequences = ["END"] });

        Assert.Equal(6, fake.Calls);
    }

    [Fact]
    public async Task RequestsOlderThanTheWindow_DoNotCount()
    {
        var (client, fake, time) = Guarded(max: 2);

        await client.GetResponseAsync("poll status");
        time.Advance(TimeSpan.FromSeconds(31));
        await client.GetResponseAsync("poll status");
        time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<RequestLoopDetectedException>(() => client.GetResponseAsync("poll status"));

        Assert.Equal(2, fake.Calls);
    }

    [Fact]
    public async Task Streaming_IsGuardedToo()
    {
        var (client, _, _) = Guarded(max: 2);

        await foreach (var _ in client.GetStreamingResponseAsync("again"))
        {
        }

        Assert.Throws<RequestLoopDetectedException>(() => client.GetStreamingResponseAsync("again"));
    }

    [Fact]
    public async Task Trips_AreCountedInMetrics()
    {
        using var meterFactory = new TestMeterFactory();
        using var trips = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            meterFactory, Diagnostics.TokenLintMetrics.MeterName, Diagnostics.TokenLintMetrics.LoopGuardTripsInstrument);
        var client = new LoopGuardChatClient(new FakeChatClient(), new LoopGuardOptions { MaxIdenticalRequests = 2 }, new Diagnostics.TokenLintMetrics(meterFactory));

        using (TokenScope.Begin(agent: "poller"))
        {
            await client.GetResponseAsync("status?");
            await Assert.ThrowsAsync<RequestLoopDetectedException>(() => client.GetResponseAsync("status?"));
        }

        Assert.Equal("poller", Assert.Single(trips.GetMeasurementSnapshot()).Tags["tokenlint.agent"]);
    }

    [Fact]
    public async Task Trips_AreLoggedAsWarnings()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var client = new LoopGuardChatClient(new FakeChatClient(), new LoopGuardOptions { MaxIdenticalRequests = 2 }, logger: logger);

        await client.GetResponseAsync("status?");
        var error = await Assert.ThrowsAsync<RequestLoopDetectedException>(() => client.GetResponseAsync("status?"));

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, record.Level);
        Assert.Contains(error.Fingerprint, record.Message);
    }

    [Fact]
    public void Options_BelowTwo_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClientBuilder(new FakeChatClient()).UseLoopGuard(o => o.MaxIdenticalRequests = 1));
    }
}
