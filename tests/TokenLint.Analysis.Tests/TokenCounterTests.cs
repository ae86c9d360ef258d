using System;
using System.Linq;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Tests;

public sealed class TokenCounterTests
{
    [Theory]
    [InlineData("hello world", 2)]
    [InlineData("", 0)]
    public void CountsExactlyWithO200k(string text, int expected)
    {
        var count = TokenCounter.Count(text);
        Assert.False(count.IsEstimate);
        Assert.Equal(expected, count.Value);
        Assert.Null(TokenCounter.LoadFailure);
    }

    [Fact]
    public void ARunWithoutSpacesLongerThanTheLimit_IsEstimated_NotTokenized()
    {
        // The tokenizer takes minutes on two million letters without a space (its time grows with the square of the run).
        var count = TokenCounter.Count(new string('x', 2_000_000));

        Assert.True(count.IsEstimate);
        Assert.Equal((int)System.Math.Ceiling(2_000_000 / TokenCounter.EstimatedCharactersPerToken), count.Value, tolerance: 1);
        Assert.False(TokenCounter.Count(string.Join(" ", System.Linq.Enumerable.Repeat(new string('y', TokenCounter.MaxExactRunLength), 3))).IsEstimate);
    }

    [Fact]
    public void Cl100kIsUsedForGpt4AndGpt35()
    {
        Assert.Equal(TokenEncoding.Cl100kBase, TokenCounter.EncodingFor("gpt-4"));
        Assert.Equal(TokenEncoding.Cl100kBase, TokenCounter.EncodingFor("gpt-3.5-turbo"));
        Assert.Equal(TokenEncoding.O200kBase, TokenCounter.EncodingFor("gpt-4o"));
        Assert.Equal(TokenEncoding.O200kBase, TokenCounter.EncodingFor("claude-sonnet-4-6"));
        Assert.NotEqual(TokenCounter.Count("naïve café déjà vu 東京", TokenEncoding.Cl100kBase).Value, TokenCounter.Count("naïve café déjà vu 東京", TokenEncoding.O200kBase).Value);
    }

    [Fact]
    public void CheapBound_DecidesShortTextWithoutCounting()
    {
        // 300 bytes cannot hold 1,024 tokens: a BPE token is at least one byte.
        Assert.False(TokenCounter.IsAtLeast(new string('a', 300), 1024, TokenEncoding.O200kBase, out var bound));
        Assert.True(bound.IsEstimate);
        Assert.True(TokenCounter.IsAtLeast(string.Concat(Enumerable.Repeat("word ", 2000)), 1024, TokenEncoding.O200kBase, out var exact));
        Assert.False(exact.IsEstimate);
    }

    /// <summary>
    /// The character fallback, used only where the tokenizer cannot load, against o200k on realistic English
    /// prompts: it stays within 25% (the rule pages state this bound).
    /// </summary>
    [Theory]
    [InlineData("You are a helpful customer-support agent for Contoso Outfitters. Answer in plain English, quote the policy section you rely on, and never promise a refund the policy does not allow. If the customer is angry, acknowledge it before answering.")]
    [InlineData("Classify the sentiment of the customer message. Reply with exactly one word: positive, neutral or negative.")]
    [InlineData("Refunds are issued within 14 days of purchase when the item is unused and in its original box. Shipping costs are refunded only when the item arrived damaged or was not what the customer ordered.")]
    public void CharacterEstimate_IsWithinAQuarterOfO200kOnProse(string prompt)
    {
        int exact = TokenCounter.Count(prompt).Value;
        int estimate = TokenCounter.Estimate(prompt).Value;
        double error = Math.Abs(estimate - exact) / (double)exact;
        Assert.True(error <= 0.25, $"estimate {estimate} vs o200k {exact}: {error:P0}");
    }
}
