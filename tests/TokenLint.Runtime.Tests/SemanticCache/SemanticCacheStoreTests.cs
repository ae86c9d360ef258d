using System;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace TokenLint.Runtime.Tests.SemanticCache;

public class SemanticCacheStoreTests
{
    private static SemanticCacheEntry Entry(string key, float[] vector, DateTimeOffset now, string partition = "p", TimeSpan? ttl = null) =>
        new(partition, key, "question " + key, vector, new ChatResponse(new ChatMessage(ChatRole.Assistant, key)), now, now + (ttl ?? TimeSpan.FromHours(1)));

    [Fact]
    public async Task TimeToLive_IsAbsoluteFromTheWrite_AndAHitDoesNotExtendIt()
    {
        var kit = new SemanticCacheTestKit(o => o.TimeToLive = TimeSpan.FromMinutes(10));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("q"));

        kit.Time.Advance(TimeSpan.FromMinutes(9));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("q"));
        Assert.Equal(1, kit.Provider.Calls);

        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("q"));
        Assert.Equal(2, kit.Provider.Calls);
    }

    [Fact]
    public async Task ExpiredEntries_AreNotFoundByMeaning_AndCanBeRemoved()
    {
        var time = new FakeTimeProvider();
        using var store = new InMemorySemanticCacheStore(10, time);
        await store.SetAsync(Entry("a", [1, 0], time.GetUtcNow(), ttl: TimeSpan.FromMinutes(1)));
        await store.SetAsync(Entry("b", [0.8f, 0.6f], time.GetUtcNow(), ttl: TimeSpan.FromMinutes(5)));

        time.Advance(TimeSpan.FromMinutes(2));
        var found = await store.SearchAsync("p", new float[] { 1, 0 }, 5);

        Assert.Equal("b", Assert.Single(found).Entry.ExactKey);
        Assert.Null(await store.GetExactAsync("p", "a"));
        Assert.Equal(1, await store.RemoveExpiredAsync());
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Capacity_EvictsTheOldestWrite()
    {
        var time = new FakeTimeProvider();
        using var store = new InMemorySemanticCacheStore(2, time);
        await store.SetAsync(Entry("a", [1, 0], time.GetUtcNow()));
        await store.SetAsync(Entry("b", [0, 1], time.GetUtcNow(), partition: "q"));
        await store.SetAsync(Entry("c", [0.6f, 0.8f], time.GetUtcNow()));

        Assert.Equal(2, store.Count);
        Assert.Null(await store.GetExactAsync("p", "a"));
        Assert.NotNull(await store.GetExactAsync("q", "b"));
        Assert.Equal("c", Assert.Single(await store.SearchAsync("p", new float[] { 1, 0 }, 5)).Entry.ExactKey);
    }

    [Fact]
    public async Task ClientCapacity_BoundsTheDefaultStore()
    {
        var kit = new SemanticCacheTestKit(o => o.Capacity = 2);
        foreach (string q in new[] { "one", "two", "three", "one" })
        {
            await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(q));
        }

        Assert.Equal(4, kit.Provider.Calls);
    }

    [Fact]
    public async Task Search_ReturnsTheNearestFirst_WithinThePartition_AtUnitLength()
    {
        var time = new FakeTimeProvider();
        using var store = new InMemorySemanticCacheStore(10, time);
        await store.SetAsync(Entry("far", [0, 3], time.GetUtcNow()));
        await store.SetAsync(Entry("near", [2, 1], time.GetUtcNow()));
        await store.SetAsync(Entry("nearest", [5, 0.1f], time.GetUtcNow()));
        await store.SetAsync(Entry("other", [1, 0], time.GetUtcNow(), partition: "x"));

        var found = await store.SearchAsync("p", new float[] { 1, 0 }, 2);

        Assert.Equal(["nearest", "near"], [found[0].Entry.ExactKey, found[1].Entry.ExactKey]);
        Assert.Equal(2 / MathF.Sqrt(5), found[1].Similarity, 4);
    }

    [Fact]
    public async Task Write_ReplacesTheSameKey_AndFreesItsSlot()
    {
        var time = new FakeTimeProvider();
        using var store = new InMemorySemanticCacheStore(10, time);
        await store.SetAsync(Entry("a", [1, 0], time.GetUtcNow()));
        await store.SetAsync(Entry("a", [0, 1], time.GetUtcNow()));

        var found = await store.SearchAsync("p", new float[] { 0, 1 }, 5);

        Assert.Equal(1, store.Count);
        Assert.Equal(1f, Assert.Single(found).Similarity, 4);
    }

    [Fact]
    public async Task VectorsOfAnotherDimension_AreRefused()
    {
        var time = new FakeTimeProvider();
        using var store = new InMemorySemanticCacheStore(10, time);
        await store.SetAsync(Entry("a", [1, 0], time.GetUtcNow()));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync(Entry("b", [1, 0, 0], time.GetUtcNow())));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SearchAsync("p", new float[] { 1, 0, 0 }, 1));
    }

    [Fact]
    public async Task EntriesWithoutAVector_AreFoundOnlyByKey()
    {
        var time = new FakeTimeProvider();
        using var store = new InMemorySemanticCacheStore(10, time);
        await store.SetAsync(Entry("exact-only", [], time.GetUtcNow()));
        await store.SetAsync(Entry("b", [1, 0], time.GetUtcNow()));

        Assert.NotNull(await store.GetExactAsync("p", "exact-only"));
        Assert.Equal("b", Assert.Single(await store.SearchAsync("p", new float[] { 1, 0 }, 5)).Entry.ExactKey);
    }
}
