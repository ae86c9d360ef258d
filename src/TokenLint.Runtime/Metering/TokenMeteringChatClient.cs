using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenLint.Runtime.Cascade;
using TokenLint.Runtime.Diagnostics;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>
/// Meters every call that passes through it: the model, its tokens by kind (plain input, cache read, cache write,
/// output) normalised across providers, its cost from the model catalog, and the <see cref="TokenScope"/> it was made
/// in. Each call goes to the configured sinks and metrics and is added to its scope's totals. Streaming calls are
/// metered when the stream ends, from the usage the provider sends in it, in the scope of the call (not of the code
/// that reads the stream).
/// </summary>
/// <remarks>
/// Place it below <c>UseFunctionInvocation</c> in a pipeline so that each round trip to the model is metered.
/// </remarks>
public sealed class TokenMeteringChatClient : DelegatingChatClient
{
    private static readonly Action<ILogger, string, Exception?> s_unpricedModel = LoggerMessage.Define<string>(
        LogLevel.Warning, new EventId(1, "UnpricedModel"),
        "Model '{Model}' has no price in the TokenLint catalog: its calls are metered in tokens and counted as unpriced. Add it with ModelPriceCatalog.WithOverrides.");

    private static readonly Action<ILogger, string, Exception?> s_sinkFailed = LoggerMessage.Define<string>(
        LogLevel.Error, new EventId(2, "SinkFailed"),
        "TokenLint could not record a call in {Sink}; the call's answer is returned and the other sinks still get the record.");

    private readonly TokenMeteringOptions _options;
    private readonly ITokenUsageSink[] _sinks;
    private readonly TokenLintMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly string? _defaultModel;
    private readonly HashSet<string> _warnedModels = new(StringComparer.Ordinal);

    public TokenMeteringChatClient(IChatClient innerClient, TokenMeteringOptions options, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _sinks = [.. options.Sinks];
        _metrics = options.EmitMetrics ? options.Metrics ?? TokenLintMetrics.Shared : null;
        _logger = logger ?? NullLogger.Instance;
        _defaultModel = innerClient.GetService<ChatClientMetadata>()?.DefaultModelId;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var scope = TokenScope.Current;
        long started = _options.TimeProvider.GetTimestamp();
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var call = new CallDetails(messages, options, scope, started, Streaming: false);
        if (!MeterCascadeAttempts(call, response.AdditionalProperties))
        {
            Meter(call, response.ModelId, response.Usage, response.ResponseId, response.RawRepresentation);
        }

        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Captured now: an iterator's body runs when the stream is read, possibly after the caller's scope ended.
        var call = new CallDetails(messages, options, TokenScope.Current, _options.TimeProvider.GetTimestamp(), Streaming: true);
        return MeterStream(call, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> MeterStream(CallDetails call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var streamed = new StreamedUsage();
        AdditionalPropertiesDictionary? cascade = null;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(call.Messages, call.Options, cancellationToken).ConfigureAwait(false))
            {
                streamed.Observe(update);
                if (update.AdditionalProperties?.ContainsKey(CascadeResponseExtensions.AttemptsKey) == true)
                {
                    cascade = update.AdditionalProperties;
                }

                yield return update;
            }
        }
        finally
        {
            // A stream the caller left early was still partly generated and billed: meter what arrived.
            if (!MeterCascadeAttempts(call, cascade) && streamed.Started)
            {
                Meter(call, streamed.ModelId, streamed.Usage, streamed.ResponseId, rawResponse: null);
            }
        }
    }

    /// <summary>
    /// Above a <see cref="CascadeChatClient"/>, the response stands for several calls to several models: meters each
    /// attempt no meter below recorded, under its own model, instead of the response (whose usage is one attempt's).
    /// </summary>
    private bool MeterCascadeAttempts(CallDetails call, AdditionalPropertiesDictionary? properties)
    {
        if (!CascadeResponseExtensions.TryGetAttempts(properties, out var attempts))
        {
            return false;
        }

        foreach (var attempt in attempts)
        {
            if (!attempt.Metered && attempt.Outcome != CascadeAttemptOutcome.Failed)
            {
                Meter(call, attempt.Model, attempt.Usage, attempt.ResponseId, rawResponse: null);
            }
        }

        return true;
    }

    private void Meter(CallDetails call, string? responseModel, UsageDetails? usage, string? responseId, object? rawResponse)
    {
        string? model = responseModel ?? call.Options?.ModelId ?? _defaultModel;
        TokenCounts tokens = default;
        decimal? cost = null;
        if (usage is not null)
        {
            (tokens, cost) = CallPricing.Price(_options.Prices, model, usage, call.Messages, rawResponse, _options.DefaultCacheWriteTtl);
            if (cost is null)
            {
                WarnUnpriced(model);
            }
        }

        var scope = call.Scope;
        var now = _options.TimeProvider.GetUtcNow();
        var record = new TokenUsageRecord
        {
            RecordId = UsageRecordId.New(now),
            Timestamp = now,
            Model = model,
            Tokens = tokens,
            CostUsd = cost,
            UsageReported = usage is not null,
            Agents = scope?.AgentPath ?? Array.Empty<string>(),
            Session = scope?.Session,
            Task = scope?.Task,
            ResponseId = responseId,
            Streaming = call.Streaming,
            Duration = _options.TimeProvider.GetElapsedTime(call.Started),
        };

        scope?.Add(record);
        try
        {
            _metrics?.RecordCall(record);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A throwing metrics listener must not fail a call that succeeded.
            s_sinkFailed(_logger, nameof(TokenLintMetrics), e);
        }

        foreach (var sink in _sinks)
        {
            try
            {
                sink.Record(record);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                s_sinkFailed(_logger, sink.GetType().Name, e);
            }
        }
    }

    private void WarnUnpriced(string? model)
    {
        string key = model ?? "(no model id)";
        lock (_warnedModels)
        {
            // Bounded: a service that sees thousands of unknown model names warns about the first hundred.
            if (_warnedModels.Count >= 100 || !_warnedModels.Add(key))
            {
                return;
            }
        }

        s_unpricedModel(_logger, key, null);
    }

    private sealed record CallDetails(IEnumerable<ChatMessage> Messages, ChatOptions? Options, TokenScope? Scope, long Started, bool Streaming);
}
