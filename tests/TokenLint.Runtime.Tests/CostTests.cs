using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime.Tests;

public class CostTests
{
    private static ModelPrice Price(string model) => ModelPriceCatalogTestData.Price(model);

    [Fact]
    public void Anthropic_EachKindAtItsOwnPrice()
    {
        // Sonnet 4.5: $3 in, $3.75 5m write, $6 1h write, $0.30 read, $15 out per million.
        var tokens = new TokenCounts { InputTokens = 21, CacheWrite5mTokens = 1_893, CacheReadTokens = 10_000, OutputTokens = 312 };

        decimal cost = Price("claude-sonnet-4-5").Cost(tokens);

        Assert.Equal((21 * 3m + 1_893 * 3.75m + 10_000 * 0.30m + 312 * 15m) / 1_000_000m, cost);
        Assert.Equal(0.01484175m, cost);
    }

    [Fact]
    public void Anthropic_OneHourWritesCostMoreThanFiveMinuteWrites()
    {
        var fiveMinutes = Price("claude-opus-4-6").Cost(new TokenCounts { CacheWrite5mTokens = 1_000_000 });
        var oneHour = Price("claude-opus-4-6").Cost(new TokenCounts { CacheWrite1hTokens = 1_000_000 });

        Assert.Equal(6.25m, fiveMinutes);
        Assert.Equal(10m, oneHour);
    }

    [Fact]
    public void OpenAI_CachedInputAtTheCachedPrice_WritesAsPlainInput()
    {
        // gpt-4.1: $2 in, $0.50 cached, $8 out. No write price: before GPT-5.6 writes are ordinary input.
        var tokens = new TokenCounts { InputTokens = 1_000_000, CacheReadTokens = 1_000_000, CacheWrite5mTokens = 1_000_000, OutputTokens = 1_000_000 };

        Assert.Equal(2m + 0.50m + 2m + 8m, Price("gpt-4.1").Cost(tokens));
    }

    [Fact]
    public void LongContext_AboveTheThreshold_EveryKindAtTheLongContextRate()
    {
        // Sonnet 4.5 above 200K input tokens: $6 in, $22.50 out; cache prices keep their ratio to input (x2).
        var price = Price("claude-sonnet-4-5");
        var below = new TokenCounts { InputTokens = 150_000, CacheReadTokens = 50_000, OutputTokens = 1_000 };
        var above = below with { InputTokens = 150_001 };

        Assert.Equal((150_000 * 3m + 50_000 * 0.30m + 1_000 * 15m) / 1_000_000m, price.Cost(below));
        Assert.Equal((150_001 * 6m + 50_000 * 0.60m + 1_000 * 22.50m) / 1_000_000m, price.Cost(above));
    }
}
