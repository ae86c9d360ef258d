using System.Linq;
using System.Threading.Tasks;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Tests.Recorded;

namespace TokenLint.Runtime.Tests;

/// <summary>
/// Metering of recorded provider responses passed through the providers' own IChatClient adapters: the token kinds
/// must match the wire payload's fields and the dollars the catalog's prices, to the cent and below.
/// </summary>
public class RecordedUsageMeteringTests
{
    private static async Task<TokenUsageRecord> Meter(IChatClient provider, bool streaming = false, ChatMessage[]? messages = null)
    {
        var ledger = new InMemoryTokenLedger();
        using var client = new ChatClientBuilder(provider).UseTokenMetering(ledger).Build();
        messages ??= [new ChatMessage(ChatRole.User, "Where is my order?")];
        if (streaming)
        {
            await foreach (var _ in client.GetStreamingResponseAsync(messages))
            {
            }
        }
        else
        {
            await client.GetResponseAsync(messages);
        }

        return Assert.Single(ledger.Records);
    }

    // claude-sonnet-4-5: $3 input, $3.75 5-minute write, $6 1-hour write, $0.30 read, $15 output per million.
    [Fact]
    public async Task Anthropic_CacheWrite_SplitByTtlAsTheResponseSays()
    {
        // input_tokens 21 (excludes cache), cache_creation_input_tokens 1893 of which ephemeral_5m 1237 and
        // ephemeral_1h 656 (read from the raw Message: UsageDetails carries only the total), output_tokens 312.
        var record = await Meter(RecordedProviders.Anthropic("anthropic-messages-cache-write.json", "claude-sonnet-4-5"));

        Assert.Equal("claude-sonnet-4-5-20250929", record.Model);
        Assert.Equal(new TokenCounts { InputTokens = 21, CacheWrite5mTokens = 1_237, CacheWrite1hTokens = 656, OutputTokens = 312 }, record.Tokens);
        Assert.Equal(0.01331775m, record.CostUsd); // 21 x 3 + 1237 x 3.75 + 656 x 6 + 312 x 15, per million
    }

    [Fact]
    public async Task Anthropic_StreamedCacheWrite_RequestedForOneHour_IsPricedAtTheOneHourRate()
    {
        // A stream carries no raw Message: the TTL comes from the request's cache controls, all of them 1 hour here.
        var messages = new[]
        {
            new ChatMessage(ChatRole.System, [new TextContent("Policy...").WithCacheControl(Ttl.Ttl1h)]),
            new ChatMessage(ChatRole.User, "Where is my order?"),
        };

        var record = await Meter(RecordedProviders.Anthropic("anthropic-messages-stream-cache-read.sse", "claude-sonnet-4-5"), streaming: true, messages: messages);

        Assert.Equal(new TokenCounts { InputTokens = 17, CacheWrite1hTokens = 406, CacheReadTokens = 1_893, OutputTokens = 95 }, record.Tokens);
        Assert.Equal(0.0044799m, record.CostUsd); // 17 x 3 + 406 x 6 + 1893 x 0.30 + 95 x 15
    }

    [Fact]
    public async Task Anthropic_StreamedCacheWrite_WithAOneHourAndAFiveMinuteBreakpoint_IsPricedAtTheFiveMinuteRate()
    {
        var messages = new[]
        {
            new ChatMessage(ChatRole.System, [new TextContent("Policy...").WithCacheControl(Ttl.Ttl1h)]),
            new ChatMessage(ChatRole.User, [new TextContent("Earlier turns...").WithCacheControl(Ttl.Ttl5m)]),
        };

        var record = await Meter(RecordedProviders.Anthropic("anthropic-messages-stream-cache-read.sse", "claude-sonnet-4-5"), streaming: true, messages: messages);

        Assert.Equal(406, record.Tokens.CacheWrite5mTokens);
        Assert.Equal(0.0035664m, record.CostUsd);
    }

    [Fact]
    public async Task Anthropic_CacheRead()
    {
        // input_tokens 34, cache_read_input_tokens 1893, output_tokens 287.
        var record = await Meter(RecordedProviders.Anthropic("anthropic-messages-cache-read.json", "claude-sonnet-4-5"));

        Assert.Equal(new TokenCounts { InputTokens = 34, CacheReadTokens = 1_893, OutputTokens = 287 }, record.Tokens);
        Assert.Equal(0.0049749m, record.CostUsd); // 34 x 3 + 1893 x 0.30 + 287 x 15
    }

    [Theory]
    [InlineData("anthropic-messages-stream-cache-read.sse")]
    [InlineData("anthropic-messages-stream-delta-output-only.sse")]
    public async Task Anthropic_Streaming(string recording)
    {
        // input_tokens 17, cache_creation 406, cache_read 1893, final output_tokens 95.
        var record = await Meter(RecordedProviders.Anthropic(recording, "claude-sonnet-4-5"), streaming: true);

        Assert.True(record.Streaming);
        Assert.Equal(new TokenCounts { InputTokens = 17, CacheWrite5mTokens = 406, CacheReadTokens = 1_893, OutputTokens = 95 }, record.Tokens);
        Assert.Equal(0.0035664m, record.CostUsd); // 17 x 3 + 406 x 3.75 + 1893 x 0.30 + 95 x 15
    }

    [Fact]
    public async Task OpenAIChat_CachedTokensAreASubsetOfInput()
    {
        // gpt-4.1 ($2 / $0.50 cached / $8): prompt_tokens 2306 of which cached_tokens 1920, completion_tokens 187.
        var record = await Meter(RecordedProviders.OpenAIChat("openai-chat-cached.json", "gpt-4.1"));

        Assert.Equal("gpt-4.1-2025-04-14", record.Model);
        Assert.Equal(new TokenCounts { InputTokens = 386, CacheReadTokens = 1_920, OutputTokens = 187 }, record.Tokens);
        Assert.Equal(2_306, record.Tokens.TotalInputTokens);
        Assert.Equal(0.003228m, record.CostUsd);
    }

    [Fact]
    public async Task OpenAIChat_ReasoningTokensArePartOfOutput()
    {
        // o4-mini ($1.10 / $0.275 / $4.40): prompt 1571 (1408 cached), completion 733 of which reasoning 576.
        var record = await Meter(RecordedProviders.OpenAIChat("openai-chat-cached-reasoning.json", "o4-mini"));

        Assert.Equal(new TokenCounts { InputTokens = 163, CacheReadTokens = 1_408, OutputTokens = 733, ReasoningTokens = 576 }, record.Tokens);
        Assert.Equal(0.0037917m, record.CostUsd); // 163 x 1.10 + 1408 x 0.275 + 733 x 4.40
    }

    [Fact]
    public async Task OpenAIChat_Streaming()
    {
        // Final chunk: prompt 1284 (1152 cached), completion 41.
        var record = await Meter(RecordedProviders.OpenAIChat("openai-chat-stream-cached.sse", "gpt-4.1"), streaming: true);

        Assert.Equal(new TokenCounts { InputTokens = 132, CacheReadTokens = 1_152, OutputTokens = 41 }, record.Tokens);
        Assert.Equal(0.001168m, record.CostUsd);
    }

    [Fact]
    public async Task OpenAIResponses_CachedAndReasoning()
    {
        // gpt-5-mini ($0.25 / $0.025 / $2): input 1389 (1280 cached), output 705 (512 reasoning).
        var record = await Meter(RecordedProviders.OpenAIResponses("openai-responses-cached-reasoning.json", "gpt-5-mini"));

        Assert.Equal("gpt-5-mini-2025-08-07", record.Model);
        Assert.Equal(new TokenCounts { InputTokens = 109, CacheReadTokens = 1_280, OutputTokens = 705, ReasoningTokens = 512 }, record.Tokens);
        Assert.Equal(0.00146925m, record.CostUsd);
    }

    [Fact]
    public async Task OpenAIResponses_AModelMissingFromTheCatalog_IsMeteredInTokensAndUnpriced()
    {
        // gpt-5.6-sol is not in the catalog. Its cache_write_tokens (3207) do not reach UsageDetails through the
        // Microsoft.Extensions.AI adapter, so they are metered as plain input, inside the 3391.
        var record = await Meter(RecordedProviders.OpenAIResponses("openai-responses-cache-write.json", "gpt-5.6-sol"));

        Assert.Equal(3_391, record.Tokens.TotalInputTokens);
        Assert.Equal(164, record.Tokens.OutputTokens);
        Assert.Null(record.CostUsd);
    }

    [Fact]
    public async Task Dollars_AddUpAcrossProvidersToTheCent()
    {
        var records = new[]
        {
            await Meter(RecordedProviders.Anthropic("anthropic-messages-cache-write.json", "claude-sonnet-4-5")),
            await Meter(RecordedProviders.Anthropic("anthropic-messages-cache-read.json", "claude-sonnet-4-5")),
            await Meter(RecordedProviders.OpenAIChat("openai-chat-cached.json", "gpt-4.1")),
        };

        decimal total = records.Sum(r => r.CostUsd!.Value);
        Assert.Equal(0.02152065m, total); // 0.01331775 + 0.0049749 + 0.003228
        Assert.Equal(0.02m, decimal.Round(total, 2));
    }
}
