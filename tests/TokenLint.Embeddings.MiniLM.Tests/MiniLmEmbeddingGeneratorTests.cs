using System;
using System.Linq;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Xunit;

namespace TokenLint.Embeddings.MiniLM.Tests;

public class MiniLmEmbeddingGeneratorTests
{
    private static float Cosine(Embedding<float> a, Embedding<float> b) => TensorPrimitives.CosineSimilarity(a.Vector.Span, b.Vector.Span);

    [Fact]
    public async Task Embeddings_Have384UnitDimensions_InInputOrder()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        var embeddings = await generator.GenerateAsync(["How do I cancel my card?", "What is the capital of France?"]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, e.Vector.Length));
        Assert.All(embeddings, e => Assert.Equal(1f, TensorPrimitives.Norm(e.Vector.Span), 3));
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, embeddings[0].ModelId);
        Assert.True(Cosine(embeddings[0], embeddings[1]) < 0.3f);
    }

    [Fact]
    public async Task Paraphrases_AreCloserThanOtherQuestions()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        var e = await generator.GenerateAsync(["How do I cancel my credit card?", "How can I close my credit card?", "How do I open a savings account?"]);

        Assert.True(Cosine(e[0], e[1]) > Cosine(e[0], e[2]));
        Assert.True(Cosine(e[0], e[1]) > 0.8f);
    }

    [Fact]
    public async Task BatchesLargerThanOneRun_KeepOrderAndValues()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        string[] texts = Enumerable.Range(0, MiniLmEmbeddingGenerator.MaxBatchSize + 3).Select(i => $"question number {i}").ToArray();

        var all = await generator.GenerateAsync(texts);
        var last = await generator.GenerateAsync([texts[^1]]);

        Assert.Equal(texts.Length, all.Count);
        Assert.True(Cosine(all[^1], last[0]) > 0.9999f);
    }

    [Fact]
    public void Window_CountsWordPiecesWithTheMarkers()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        Assert.Equal(256, MiniLmEmbeddingGenerator.InputWindow);
        Assert.Equal(11, generator.CountTokens("How do I cancel my credit card online?"));
        Assert.True(generator.CountTokens(string.Join(' ', Enumerable.Repeat("statement", 300))) > MiniLmEmbeddingGenerator.InputWindow);
    }

    [Fact]
    public async Task LongTextsDifferingInTheirLastWords_EmbedAlmostAlike()
    {
        // Why the semantic cache matches questions past the window only by exact repeat.
        using var generator = new MiniLmEmbeddingGenerator();
        string common = string.Join(' ', Enumerable.Repeat("the statement lists every transfer", 60));
        string[] texts = [common + " which were refunded?", common + " which were declined?", "which were refunded?", "which were declined?"];
        var e = await generator.GenerateAsync(texts);

        Assert.True(generator.CountTokens(texts[0]) > MiniLmEmbeddingGenerator.InputWindow);
        Assert.True(Cosine(e[0], e[1]) > 0.95f);
        Assert.True(Cosine(e[2], e[3]) < 0.6f);
    }

    [Fact]
    public async Task ConcurrentCalls_GiveTheSameVectorsAsOneCall()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        string[] texts = ["reset my password", "refund a payment", "change my address", "close my account"];
        var together = await generator.GenerateAsync(texts);

        var apart = await Task.WhenAll(texts.Select(t => Task.Run(() => generator.GenerateAsync([t]))));

        for (int i = 0; i < texts.Length; i++)
        {
            Assert.True(Cosine(together[i], apart[i][0]) > 0.9999f);
        }
    }

    [Fact]
    public void Metadata_NamesTheModel()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, metadata?.DefaultModelId);
        Assert.Equal(384, metadata?.DefaultModelDimensions);
    }
}
