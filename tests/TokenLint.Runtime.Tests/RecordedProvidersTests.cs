using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenAI.Responses;
using TokenLint.Runtime.Tests.Recorded;
using AnthropicMessage = Anthropic.Models.Messages.Message;

namespace TokenLint.Runtime.Tests;

/// <summary>
/// Pins down what the providers' own <see cref="IChatClient"/> adapters (Anthropic 13.14 <c>AsIChatClient</c>,
/// Microsoft.Extensions.AI.OpenAI 10.11 and, in TokenLint.Runtime.Tests.MEAI11, 11.0, over OpenAI 2.15) report for real response payloads in <c>Recorded/</c>.
/// The numbers asserted here are the adapters' observed behaviour; each comment names the JSON fields they
/// come from. If a package update changes a mapping, these tests fail first.
/// </summary>
public class RecordedProvidersTests
{
    private const string Prompt = "What is the refund window?";

    // ---------------------------------------------------------------- Anthropic Messages (non-streaming)

    [Fact]
    public async Task Anthropic_cache_write_reports_write_in_input_and_as_one_additional_count()
    {
        IChatClient client = RecordedProviders.Anthropic("anthropic-messages-cache-write.json", "claude-sonnet-4-5");

        ChatResponse response = await client.GetResponseAsync(Prompt);

        Assert.Equal("claude-sonnet-4-5-20250929", response.ModelId); // "model" of the response, not the requested alias
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 1914,      // input_tokens 21 + cache_creation_input_tokens 1893 + cache_read_input_tokens 0
            cached: 0,        // cache_read_input_tokens 0 (zero, not null)
            output: 312,      // output_tokens
            total: 2226,      // 1914 + 312 (computed by the adapter)
            reasoning: null); // Anthropic reports no reasoning count
        AssertAdditionalCounts(usage, ("CacheCreationInputTokens", 1893)); // cache_creation_input_tokens, as one total

        // The TTL split (cache_creation.ephemeral_5m_input_tokens 1237 / ephemeral_1h_input_tokens 656) does not
        // reach UsageDetails...
        Assert.DoesNotContain(usage.AdditionalCounts!.Values, v => v is 1237 or 656);
        // ...but the SDK's Message is the response's RawRepresentation and still has it.
        AnthropicMessage raw = Assert.IsType<AnthropicMessage>(response.RawRepresentation);
        Assert.Equal(1237, raw.Usage.CacheCreation?.Ephemeral5mInputTokens);
        Assert.Equal(656, raw.Usage.CacheCreation?.Ephemeral1hInputTokens);
    }

    [Fact]
    public async Task Anthropic_cache_read_reports_read_inside_input_and_as_cached_input()
    {
        IChatClient client = RecordedProviders.Anthropic("anthropic-messages-cache-read.json", "claude-sonnet-4-5");

        ChatResponse response = await client.GetResponseAsync(Prompt);

        Assert.Equal("claude-sonnet-4-5-20250929", response.ModelId);
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 1927,      // input_tokens 34 + cache_creation_input_tokens 0 + cache_read_input_tokens 1893
            cached: 1893,     // cache_read_input_tokens
            output: 287,      // output_tokens
            total: 2214,      // 1927 + 287
            reasoning: null);
        Assert.Null(usage.AdditionalCounts);            // no CacheCreationInputTokens key when the write is 0
    }

    // ---------------------------------------------------------------- Anthropic Messages (streaming)

    [Fact]
    public async Task Anthropic_stream_reports_usage_once_from_message_delta()
    {
        IChatClient client = RecordedProviders.Anthropic(
            "anthropic-messages-stream-cache-read.sse", "claude-sonnet-4-5", out RecordedResponseHandler transport);

        (ChatResponse response, List<ChatResponseUpdate> updates) = await StreamAsync(client);

        // message_start carries usage (output_tokens 3) and message_delta the cumulative usage (output_tokens 95):
        // the adapter emits ONE UsageContent, in the last update, built from the final counts, not their sum.
        UsageContent usageContent = SingleUsageContent(updates);
        Assert.Same(updates[^1], updates.Single(u => u.Contents.Contains(usageContent)));

        Assert.Equal("claude-sonnet-4-5-20250929", response.ModelId); // message_start.message.model
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 2316,      // input_tokens 17 + cache_creation_input_tokens 406 + cache_read_input_tokens 1893
            cached: 1893,     // cache_read_input_tokens
            output: 95,       // message_delta usage.output_tokens (not 3 + 95)
            total: 2411,      // 2316 + 95
            reasoning: null);
        AssertAdditionalCounts(usage, ("CacheCreationInputTokens", 406)); // the 5m/1h split (406/0) is lost here too
        Assert.Equal(usage.InputTokenCount, usageContent.Details.InputTokenCount);

        Assert.Contains("\"stream\":true", transport.LastRequestBody, StringComparison.Ordinal);
        Assert.Contains("\"model\":\"claude-sonnet-4-5\"", transport.LastRequestBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anthropic_stream_keeps_message_start_input_counts_when_message_delta_has_only_output_tokens()
    {
        // The shape in Anthropic's streaming docs: message_delta usage is {"output_tokens":95} alone.
        IChatClient client = RecordedProviders.Anthropic(
            "anthropic-messages-stream-delta-output-only.sse", "claude-sonnet-4-5");

        (ChatResponse response, List<ChatResponseUpdate> updates) = await StreamAsync(client);

        _ = SingleUsageContent(updates);
        Assert.Equal("claude-sonnet-4-5-20250929", response.ModelId);
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 2316,      // from message_start: 17 + 406 + 1893
            cached: 1893,     // message_start cache_read_input_tokens
            output: 95,       // message_delta output_tokens replaces message_start's 3
            total: 2411,
            reasoning: null);
        AssertAdditionalCounts(usage, ("CacheCreationInputTokens", 406));
    }

    // ---------------------------------------------------------------- OpenAI Chat Completions

    [Fact]
    public async Task OpenAIChat_reports_cached_tokens_as_a_subset_of_input()
    {
        IChatClient client = RecordedProviders.OpenAIChat(
            "openai-chat-cached.json", "gpt-4.1", out RecordedResponseHandler transport);

        ChatResponse response = await client.GetResponseAsync(Prompt);

        Assert.Equal("gpt-4.1-2025-04-14", response.ModelId); // "model" of the response
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 2306,   // usage.prompt_tokens (cached tokens included)
            cached: 1920,  // usage.prompt_tokens_details.cached_tokens
            output: 187,   // usage.completion_tokens
            total: 2493,   // usage.total_tokens
            reasoning: 0); // usage.completion_tokens_details.reasoning_tokens
        AssertOpenAIChatDetailCounts(usage);

        Assert.Equal("https://api.openai.com/v1/chat/completions", transport.LastRequest?.Uri?.ToString());
        Assert.Contains("\"model\":\"gpt-4.1\"", transport.LastRequestBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAIChat_reports_reasoning_tokens_inside_output()
    {
        IChatClient client = RecordedProviders.OpenAIChat("openai-chat-cached-reasoning.json", "o4-mini");

        ChatResponse response = await client.GetResponseAsync(Prompt);

        Assert.Equal("o4-mini-2025-04-16", response.ModelId);
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 1571,     // usage.prompt_tokens
            cached: 1408,    // usage.prompt_tokens_details.cached_tokens
            output: 733,     // usage.completion_tokens (reasoning included)
            total: 2304,     // usage.total_tokens
            reasoning: 576); // usage.completion_tokens_details.reasoning_tokens
        AssertOpenAIChatDetailCounts(usage);
    }

    [Fact]
    public async Task OpenAIChat_stream_asks_for_usage_and_reports_it_once_from_the_final_chunk()
    {
        IChatClient client = RecordedProviders.OpenAIChat(
            "openai-chat-stream-cached.sse", "gpt-4.1", out RecordedResponseHandler transport);

        (ChatResponse response, List<ChatResponseUpdate> updates) = await StreamAsync(client);

        // The adapter (through the SDK) asks for usage itself...
        Assert.Contains("\"stream_options\":{\"include_usage\":true}", transport.LastRequestBody, StringComparison.Ordinal);
        // ...and turns the final chunk ("choices":[], "usage":{...}) into one UsageContent.
        _ = SingleUsageContent(updates);

        Assert.Equal("gpt-4.1-2025-04-14", response.ModelId); // "model" of the chunks
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 1284,   // usage.prompt_tokens
            cached: 1152,  // usage.prompt_tokens_details.cached_tokens
            output: 41,    // usage.completion_tokens
            total: 1325,   // usage.total_tokens
            reasoning: 0); // usage.completion_tokens_details.reasoning_tokens
        AssertOpenAIChatDetailCounts(usage);
    }

    // ---------------------------------------------------------------- OpenAI Responses

    [Fact]
    public async Task OpenAIResponses_reports_cached_and_reasoning_tokens_without_additional_counts()
    {
        IChatClient client = RecordedProviders.OpenAIResponses(
            "openai-responses-cached-reasoning.json", "gpt-5-mini", out RecordedResponseHandler transport);

        ChatResponse response = await client.GetResponseAsync(Prompt);

        Assert.Equal("gpt-5-mini-2025-08-07", response.ModelId); // "model" of the response
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 1389,     // usage.input_tokens (cached tokens included)
            cached: 1280,    // usage.input_tokens_details.cached_tokens
            output: 705,     // usage.output_tokens (reasoning included)
            total: 2094,     // usage.total_tokens
            reasoning: 512); // usage.output_tokens_details.reasoning_tokens
        Assert.Null(usage.AdditionalCounts);

        Assert.Equal("https://api.openai.com/v1/responses", transport.LastRequest?.Uri?.ToString());
        Assert.Contains("\"model\":\"gpt-5-mini\"", transport.LastRequestBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAIResponses_drops_cache_write_tokens()
    {
        // GPT-5.6 reports cache writes as usage.input_tokens_details.cache_write_tokens (3207 here).
        IChatClient client = RecordedProviders.OpenAIResponses("openai-responses-cache-write.json", "gpt-5.6-sol");

        ChatResponse response = await client.GetResponseAsync(Prompt);

        Assert.Equal("gpt-5.6-sol", response.ModelId);
        UsageDetails usage = AssertUsage(
            response.Usage,
            input: 3391,    // usage.input_tokens
            cached: 0,      // usage.input_tokens_details.cached_tokens
            output: 164,    // usage.output_tokens
            total: 3555,    // usage.total_tokens
            reasoning: 64); // usage.output_tokens_details.reasoning_tokens
        Assert.Null(usage.AdditionalCounts); // cache_write_tokens 3207 is not surfaced anywhere

        // The SDK's ResponseResult (the RawRepresentation) keeps the unknown field when written back out.
        object raw = Assert.IsAssignableFrom<IPersistableModel<object>>(response.RawRepresentation);
        string rawJson = ModelReaderWriter.Write(raw, ModelReaderWriterOptions.Json).ToString();
        using JsonDocument rawDocument = JsonDocument.Parse(rawJson);
        Assert.Equal(
            3207,
            rawDocument.RootElement.GetProperty("usage").GetProperty("input_tokens_details")
                .GetProperty("cache_write_tokens").GetInt64());
    }

    [Fact]
    public void Runs_against_the_Microsoft_Extensions_AI_its_project_names()
    {
        // TokenLint.Runtime.Tests: the runtime's dependency (the lowest version it supports); TokenLint.Runtime.Tests.MEAI11:
        // the same tests on 11.0.0. Fails if a restore quietly resolves something else.
#if MEAI11
        Version expected = new(11, 0, 0);
#else
        Version expected = new(10, 11, 0);
#endif
        Assert.Equal(expected, AdapterVersions.MicrosoftExtensionsAI);
        Assert.Equal(expected, AdapterVersions.MicrosoftExtensionsAIAbstractions);
        Assert.Equal(expected, AdapterVersions.MicrosoftExtensionsAIOpenAI);
        Assert.Equal(new Version(2, 15, 0), AdapterVersions.OpenAI);
    }

    [Fact]
    public async Task OpenAIResponses_streaming_adapter_fails_while_it_is_compiled_against_OpenAI_2_14()
    {
        // Microsoft.Extensions.AI.OpenAI 10.11.0 and 11.0.0 are both compiled against OpenAI 2.14.0, whose
        // ResponsesClient.CreateResponseStreamingAsync returned AsyncCollectionResult<StreamingResponseUpdate>;
        // OpenAI 2.15.0 returns Task<AsyncStreamingResult<StreamingResponseUpdate>> (openai/openai-dotnet#1349),
        // so the adapter's streaming path cannot bind with either. When the adapter is compiled against 2.15 this
        // test fails: assert the streamed usage (see the next test for the numbers) instead.
        Assert.Equal(new Version(2, 14, 0, 0), AdapterVersions.OpenAIOfTheAdapter);
        IChatClient client = RecordedProviders.OpenAIResponses(
            "openai-responses-stream-cached-reasoning.sse", "gpt-5-mini");

        await Assert.ThrowsAsync<MissingMethodException>(() => StreamAsync(client));
    }

    [Fact]
    public async Task OpenAIResponses_stream_recording_parses_with_the_OpenAI_SDK()
    {
        // Keeps the streaming recording honest while the adapter cannot read it: the SDK itself finds the
        // usage in response.completed.
        RecordedResponseHandler transport = new("openai-responses-stream-cached-reasoning.sse");
        ResponsesClient sdk = new(
            RecordedProviders.OpenAIKey, RecordedProviders.OpenAIOptions<ResponsesClientOptions>(transport));

        List<StreamingResponseUpdate> updates = [];
        await using (AsyncStreamingResult<StreamingResponseUpdate> stream = await sdk.CreateResponseStreamingAsync(
            new CreateResponseOptions("gpt-5-mini", [ResponseItem.CreateUserMessageItem(Prompt)]) { StreamingEnabled = true }))
        {
            await foreach (StreamingResponseUpdate update in stream)
            {
                updates.Add(update);
            }
        }

        StreamingResponseCompletedUpdate completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal("gpt-5-mini-2025-08-07", completed.Response.Model);
        ResponseTokenUsage usage = completed.Response.Usage;
        Assert.Equal(2210, usage.InputTokenCount);                         // usage.input_tokens
        Assert.Equal(2048, usage.InputTokenDetails.CachedTokenCount);      // usage.input_tokens_details.cached_tokens
        Assert.Equal(389, usage.OutputTokenCount);                         // usage.output_tokens
        Assert.Equal(256, usage.OutputTokenDetails.ReasoningTokenCount);   // usage.output_tokens_details.reasoning_tokens
        Assert.Equal(2599, usage.TotalTokenCount);                         // usage.total_tokens
        Assert.Contains("\"stream\":true", transport.LastRequestBody, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- the fixture itself

    [Fact]
    public async Task Each_call_is_answered_with_the_recording_again()
    {
        IChatClient client = RecordedProviders.Anthropic(
            "anthropic-messages-cache-read.json", "claude-sonnet-4-5", out RecordedResponseHandler transport);

        ChatResponse first = await client.GetResponseAsync(Prompt);
        ChatResponse second = await client.GetResponseAsync("And for exchanges?");
        (ChatResponse streamedOverJson, _) = await StreamAsync(
            RecordedProviders.OpenAIChat("openai-chat-stream-cached.sse", "gpt-4.1"));

        Assert.Equal(first.Usage?.InputTokenCount, second.Usage?.InputTokenCount);
        Assert.Equal(2, transport.Requests.Count);
        Assert.Contains("And for exchanges?", transport.Requests[1].Body, StringComparison.Ordinal);
        Assert.Equal("POST", transport.Requests[0].Method);
        Assert.Equal(1284, streamedOverJson.Usage?.InputTokenCount);
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<(ChatResponse Response, List<ChatResponseUpdate> Updates)> StreamAsync(IChatClient client)
    {
        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt))
        {
            updates.Add(update);
        }

        // ToChatResponse folds the UsageContent into ChatResponse.Usage, as ToChatResponseAsync() does.
        return (updates.ToChatResponse(), updates);
    }

    /// <summary>Asserts the five counts of <paramref name="actual"/> (null where a count must be absent).</summary>
    private static UsageDetails AssertUsage(
        UsageDetails? actual, long? input, long? cached, long? output, long? total, long? reasoning)
    {
        UsageDetails usage = Assert.IsType<UsageDetails>(actual);
        Assert.Equal(
            (input, cached, output, total, reasoning),
            (usage.InputTokenCount, usage.CachedInputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount,
                usage.ReasoningTokenCount));
        return usage;
    }

    private static UsageContent SingleUsageContent(IEnumerable<ChatResponseUpdate> updates) =>
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());

    /// <summary>
    /// Microsoft.Extensions.AI.OpenAI copies the remaining Chat Completions usage details into
    /// AdditionalCounts under these four keys, zeros included (all are 0 in the recordings).
    /// </summary>
    private static void AssertOpenAIChatDetailCounts(UsageDetails usage) =>
        AssertAdditionalCounts(
            usage,
            ("InputTokenDetails.AudioTokenCount", 0),              // prompt_tokens_details.audio_tokens
            ("OutputTokenDetails.AudioTokenCount", 0),             // completion_tokens_details.audio_tokens
            ("OutputTokenDetails.AcceptedPredictionTokenCount", 0), // completion_tokens_details.accepted_prediction_tokens
            ("OutputTokenDetails.RejectedPredictionTokenCount", 0)); // completion_tokens_details.rejected_prediction_tokens

    private static void AssertAdditionalCounts(UsageDetails usage, params (string Key, long Value)[] expected)
    {
        Assert.NotNull(usage.AdditionalCounts);
        Assert.Equal(
            expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"),
            usage.AdditionalCounts.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
    }
}
