using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Xunit;

namespace TokenLint.Runtime.Tests.SemanticCache;

public class SemanticCacheTests
{
    private const string Cancel = "How do I cancel my card?";
    private const string CancelReworded = "How can I cancel my card?";

    [Fact]
    public async Task ExactRepeat_IsServedWithoutAnEmbedding()
    {
        var kit = new SemanticCacheTestKit();
        var first = await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel));
        long embeddingsAfterMiss = kit.Embeddings.Calls;

        var second = await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("  How do I cancel   my card? "));

        Assert.Equal(1, kit.Provider.Calls);
        Assert.Equal(embeddingsAfterMiss, kit.Embeddings.Calls);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal("exact", second.AdditionalProperties?[SemanticCacheChatClient.HitKey]);
        Assert.Equal(1, kit.Statistics.ExactHits);
    }

    [Fact]
    public async Task SameQuestionInOtherWords_IsServedByMeaning()
    {
        var kit = new SemanticCacheTestKit();
        kit.Embeddings.Near(CancelReworded, Cancel, 0.97f);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel));

        var served = await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(CancelReworded));

        Assert.Equal(1, kit.Provider.Calls);
        Assert.Equal("answer to: " + Cancel, served.Text);
        Assert.Equal("semantic", served.AdditionalProperties?[SemanticCacheChatClient.HitKey]);
        Assert.Equal(0.97f, (float)served.AdditionalProperties![SemanticCacheChatClient.SimilarityKey]!, 3);
    }

    [Theory]
    [InlineData(0.89f, 2)]
    [InlineData(0.99f, 1)]
    public async Task Threshold_DecidesBetweenNeighbourAndProvider(float similarity, int providerCalls)
    {
        var kit = new SemanticCacheTestKit(o => o.SimilarityThreshold = 0.9);
        kit.Embeddings.Near(CancelReworded, Cancel, similarity);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(CancelReworded));
        Assert.Equal(providerCalls, kit.Provider.Calls);
    }

    public static TheoryData<string, Func<ChatMessage[]>, ChatOptions?> OtherPartitions => new()
    {
        { "another system prompt", () => SemanticCacheTestKit.Ask(CancelReworded, system: "You are a pirate."), null },
        { "another model", () => SemanticCacheTestKit.Ask(CancelReworded), new ChatOptions { ModelId = "gpt-4.1-mini" } },
        { "another partition key", () => SemanticCacheTestKit.Ask(CancelReworded), new ChatOptions { AdditionalProperties = new() { ["tenant"] = "globex" } } },
        { "other earlier turns", () => [new(ChatRole.System, "You are a support agent."), new(ChatRole.User, "I lost it."), new(ChatRole.Assistant, "Sorry."), new(ChatRole.User, CancelReworded)], null },
        { "other instructions", () => SemanticCacheTestKit.Ask(CancelReworded), new ChatOptions { Instructions = "Answer in French." } },
        { "a tool", () => SemanticCacheTestKit.Ask(CancelReworded), new ChatOptions { Tools = [AIFunctionFactory.Create(() => "ok", "lookup_card")] } },
        { "a response format", () => SemanticCacheTestKit.Ask(CancelReworded), new ChatOptions { ResponseFormat = ChatResponseFormat.Json } },
        { "another temperature", () => SemanticCacheTestKit.Ask(CancelReworded), new ChatOptions { Temperature = 1.5f } },
    };

    [Theory]
    [MemberData(nameof(OtherPartitions))]
    public async Task AnswerIsNeverServedAcrossPartitions(string difference, Func<ChatMessage[]> request, ChatOptions? options)
    {
        _ = difference;
        var kit = new SemanticCacheTestKit();
        kit.Embeddings.Alike(Cancel, CancelReworded);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel));

        await kit.Client.GetResponseAsync(request(), options);
        // The exact same request in that partition is an exact repeat: the partition has its own answers.
        await kit.Client.GetResponseAsync(request(), options);

        Assert.Equal(2, kit.Provider.Calls);
    }

    [Fact]
    public async Task PartitionKey_KeepsTenantsApart_AndServesWithinOne()
    {
        var kit = new SemanticCacheTestKit();
        kit.Embeddings.Alike(Cancel, CancelReworded);
        var acme = new ChatOptions { AdditionalProperties = new() { ["tenant"] = "acme" } };
        var globex = new ChatOptions { AdditionalProperties = new() { ["tenant"] = "globex" } };

        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel), acme);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(CancelReworded), globex);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(CancelReworded), acme);

        Assert.Equal(2, kit.Provider.Calls);
        Assert.Equal(1, kit.Statistics.SemanticHits);
    }

    [Fact]
    public async Task NoPartitionKey_IsLoggedOnceAsAWarning()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var embeddings = new FakeEmbeddingGenerator();
        var client = new SemanticCacheChatClient(new Fakes.FakeChatClient(), embeddings, new SemanticCacheOptions(), logger);

        await client.GetResponseAsync("a");
        await client.GetResponseAsync("b");

        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("PartitionKey", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartitionKeySet_LogsNothing()
    {
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var client = new SemanticCacheChatClient(new Fakes.FakeChatClient(), new FakeEmbeddingGenerator(), new SemanticCacheOptions { PartitionKey = (_, _) => "t" }, logger);
        await client.GetResponseAsync("a");
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Theory]
    [InlineData("Why can't I log in?", "Why can I log in?")]
    [InlineData("Is the card never charged a fee?", "Is the card charged a fee?")]
    [InlineData("What is 15% of 200?", "What is 20% of 200?")]
    [InlineData("Can I send $500 abroad?", "Can I send $5000 abroad?")]
    [InlineData("What happened on March 3?", "What happened on May 3?")]
    [InlineData("What does \"ERR_42\" mean?", "What does \"ERR_43\" mean?")]
    public async Task Guards_RefuseNeighboursThatAskSomethingElse(string stored, string asked)
    {
        var kit = new SemanticCacheTestKit();
        kit.Embeddings.Alike(stored, asked);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(stored));

        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(asked));

        Assert.Equal(2, kit.Provider.Calls);
    }

    [Theory]
    [InlineData("What is 15% of 200?", "How much is 15% of 200?")]
    [InlineData("Why can't I log in?", "Why am I not able to log in?")]
    public async Task Guards_LetThroughTheSameLiteralsAndNegations(string stored, string asked)
    {
        var kit = new SemanticCacheTestKit(o => o.Guards = SemanticCacheGuards.Negation | SemanticCacheGuards.Literals);
        kit.Embeddings.Alike(stored, asked);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(stored));

        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(asked));

        Assert.Equal(1, kit.Provider.Calls);
    }

    [Fact]
    public async Task ContentWordGuard_RefusesANeighbourWithOtherRareWords_AndServesARewording()
    {
        const string Investment = "How do I close my investment account?";
        var kit = new SemanticCacheTestKit(o => { o.Guards = SemanticCacheGuards.All; o.SimilarityThreshold = 0.945; });
        kit.Embeddings.Near(Investment, Cancel, 0.95f).Near(CancelReworded, Cancel, 0.95f);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel));

        // close, investment, account: words no stored question has, each log(2) rare: 0.95 - 0.004 * 2.08 < 0.945.
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Investment));
        Assert.Equal(2, kit.Provider.Calls);

        // "can" and "do" are function words: nothing unshared, so 0.95 stands.
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(CancelReworded));
        Assert.Equal(2, kit.Provider.Calls);
    }

    [Fact]
    public async Task GuardsOff_ServeTheNeighbour()
    {
        var kit = new SemanticCacheTestKit(o => o.Guards = SemanticCacheGuards.None);
        kit.Embeddings.Alike("Can I send $500 abroad?", "Can I send $5000 abroad?");
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("Can I send $500 abroad?"));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask("Can I send $5000 abroad?"));
        Assert.Equal(1, kit.Provider.Calls);
    }

    [Fact]
    public async Task QuestionsLongerThanTheWindow_AreServedOnlyByExactRepeat()
    {
        string common = string.Join(' ', Enumerable.Repeat("the account statement lists every transfer", 60));
        string first = common + " Which ones were refunded?";
        string second = common + " Which ones were declined?";
        var kit = new SemanticCacheTestKit(o => o.Guards = SemanticCacheGuards.None);
        kit.Embeddings.Alike(first, second);

        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(first));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(second));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(first));

        Assert.Equal(2, kit.Provider.Calls);
        Assert.Equal(1, kit.Statistics.ExactHits);
        Assert.Equal(0, kit.Embeddings.Calls);
    }

    [Fact]
    public async Task WindowUsesTheGivenTokenCounter()
    {
        var kit = new SemanticCacheTestKit(o => { o.CountEmbeddingTokens = text => text.Length; o.EmbeddingInputWindow = 10; });
        kit.Embeddings.Alike(Cancel, CancelReworded);
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(CancelReworded));
        Assert.Equal(2, kit.Provider.Calls);
    }

    [Fact]
    public void WordPieceEstimate_CountsHighForEnglish()
    {
        // all-MiniLM-L6-v2 makes 11 pieces of the first ([CLS] and [SEP] included); a long word counts several.
        Assert.InRange(SemanticCacheChatClient.EstimateWordPieces("How do I cancel my credit card online?"), 11, 14);
        Assert.InRange(SemanticCacheChatClient.EstimateWordPieces("How do I buy cryptocurrency online?"), 11, 16);
    }

    [Fact]
    public async Task Statistics_AreReachableThroughThePipeline_AndPrintable()
    {
        var kit = new SemanticCacheTestKit();
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel));
        await kit.Client.GetResponseAsync(SemanticCacheTestKit.Ask(Cancel), new ChatOptions { ModelId = "gpt-4.1" }.WithSemanticCacheBypass());

        var statistics = kit.Client.GetService<SemanticCacheStatistics>();

        Assert.Same(kit.Statistics, statistics);
        Assert.Equal(
            "semantic cache: 1 hits (1 exact, 0 by meaning, 0 shared), 1 misses, 1 bypassed (opted_out 1); saved 100 input and 20 output tokens, $0.00036",
            statistics!.ToString());
        Assert.Equal(0.00036m, statistics.DollarsSaved);
        Assert.Equal(0.5, statistics.HitRate);
    }
}
