using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Xunit;

namespace TokenLint.Runtime.Tests.SemanticCache;

public class SemanticCacheStreamingTests
{
    private const string Question = "How do I cancel my card?";

    [Fact]
    public async Task StreamedMiss_IsStoredWhenTheStreamCompletes_AndServedToBothKinds()
    {
        var kit = new SemanticCacheTestKit();
        Assert.Equal("ok", await SemanticCacheNeverCachedTests.StreamText(kit.Client.GetStreamingResponseAsync(SemanticCacheTestKit.Ask(Question))));

        var streamedHit = await kit.Client.GetStreamingResponseAsync(SemanticCacheTestKit.Ask(Question)).ToListAsync();
        var hit = await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));

        Assert.Equal(1, kit.Provider.Calls);
        Assert.Equal("ok", streamedHit.ToChatResponse().Text);
        Assert.Equal("ok", hit.Text);
        Assert.Equal(2, kit.Statistics.ExactHits);
    }

    [Fact]
    public async Task StreamedHit_IsAStreamOfUpdatesWithZeroUsage()
    {
        var kit = new SemanticCacheTestKit();
        kit.Embeddings.Alike(Question, "How can I cancel my card?");
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));

        var updates = await kit.Client.GetStreamingResponseAsync(SemanticCacheTestKit.Ask("How can I cancel my card?")).ToListAsync();

        Assert.NotEmpty(updates);
        var response = updates.ToChatResponse();
        Assert.Equal("answer to: " + Question, response.Text);
        Assert.Equal(0, response.Usage?.TotalTokenCount ?? 0);
        Assert.Equal(1, kit.Statistics.SemanticHits);
        Assert.Equal(1, kit.Provider.Calls);
    }

    [Fact]
    public async Task StreamLeftEarly_IsNotStored()
    {
        var kit = new SemanticCacheTestKit();
        await foreach (var update in kit.Client.GetStreamingResponseAsync(SemanticCacheTestKit.Ask(Question)))
        {
            break;
        }

        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));

        Assert.Equal(2, kit.Provider.Calls);
    }

    [Fact]
    public async Task StreamThatFails_IsNotStored()
    {
        var kit = new SemanticCacheTestKit();
        kit.Provider.Failure = new System.InvalidOperationException("reset");
        await Assert.ThrowsAsync<System.InvalidOperationException>(async () => await kit.Client.GetStreamingResponseAsync(SemanticCacheTestKit.Ask(Question)).ToListAsync());

        kit.Provider.Failure = null;
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));

        Assert.Equal(2, kit.Provider.Calls);
    }

    [Fact]
    public async Task StreamedBypass_GoesToTheProvider()
    {
        var kit = new SemanticCacheTestKit();
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Question));
        await kit.Client.GetStreamingResponseAsync(SemanticCacheTestKit.Ask(Question), new ChatOptions().WithSemanticCacheBypass()).ToListAsync();
        Assert.Equal(2, kit.Provider.Calls);
    }
}
