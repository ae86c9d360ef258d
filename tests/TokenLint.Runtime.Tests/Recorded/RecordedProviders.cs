using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

namespace TokenLint.Runtime.Tests.Recorded;

/// <summary>
/// Builds <see cref="IChatClient"/>s the way an application does — the provider's own SDK client wrapped
/// by the provider's own <c>AsIChatClient</c> adapter — but with the HTTP transport replaced by a
/// <see cref="RecordedResponseHandler"/> that answers every call with a recorded response body.
/// What reaches middleware (<see cref="ChatResponse.Usage"/>, <see cref="UsageContent"/>,
/// <see cref="ChatResponse.ModelId"/>) is therefore exactly what the adapters make of a real payload.
/// </summary>
/// <remarks>
/// <paramref name="recordedFile"/> in every method is a file name in <c>Recorded/</c> (copied to the test
/// output) or a rooted path; <c>.sse</c> files are served as <c>text/event-stream</c>. The model passed in
/// is the adapter's default model (what the request asks for); the model reported back comes from the
/// recording.
/// </remarks>
internal static class RecordedProviders
{
    /// <summary>Anthropic Messages API through <c>AnthropicClient.AsIChatClient(model)</c>.</summary>
    public static IChatClient Anthropic(string recordedFile, string model) =>
        Anthropic(recordedFile, model, out _);

    /// <inheritdoc cref="Anthropic(string, string)"/>
    public static IChatClient Anthropic(string recordedFile, string model, out RecordedResponseHandler transport)
    {
        transport = new RecordedResponseHandler(recordedFile);
        AnthropicClient client = new()
        {
            ApiKey = "sk-ant-recorded-not-a-key",
            HttpClient = new HttpClient(transport),
            MaxRetries = 0,
        };
        return client.AsIChatClient(model);
    }

    /// <summary>OpenAI Chat Completions through <c>ChatClient.AsIChatClient()</c> (Microsoft.Extensions.AI.OpenAI).</summary>
    public static IChatClient OpenAIChat(string recordedFile, string model) =>
        OpenAIChat(recordedFile, model, out _);

    /// <inheritdoc cref="OpenAIChat(string, string)"/>
    public static IChatClient OpenAIChat(string recordedFile, string model, out RecordedResponseHandler transport)
    {
        transport = new RecordedResponseHandler(recordedFile);
        ChatClient client = new(model, OpenAIKey, OpenAIOptions<OpenAIClientOptions>(transport));
        return client.AsIChatClient();
    }

    /// <summary>OpenAI Responses API through <c>ResponsesClient.AsIChatClient(model)</c> (Microsoft.Extensions.AI.OpenAI).</summary>
    public static IChatClient OpenAIResponses(string recordedFile, string model) =>
        OpenAIResponses(recordedFile, model, out _);

    /// <inheritdoc cref="OpenAIResponses(string, string)"/>
    public static IChatClient OpenAIResponses(string recordedFile, string model, out RecordedResponseHandler transport)
    {
        transport = new RecordedResponseHandler(recordedFile);
        ResponsesClient client = new(OpenAIKey, OpenAIOptions<ResponsesClientOptions>(transport));
        return client.AsIChatClient(model);
    }

    /// <summary>A placeholder key: the recorded transport never sends a request anywhere.</summary>
    public static ApiKeyCredential OpenAIKey => new("sk-recorded-not-a-key");

    /// <summary>
    /// OpenAI client options (System.ClientModel) whose pipeline transport is <paramref name="transport"/>,
    /// with retries off. Use it to build a raw OpenAI SDK client over a recording.
    /// </summary>
    public static TOptions OpenAIOptions<TOptions>(RecordedResponseHandler transport)
        where TOptions : ClientPipelineOptions, new() =>
        new()
        {
            Transport = new HttpClientPipelineTransport(new HttpClient(transport)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
}
