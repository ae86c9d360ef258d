using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenLint.Runtime.Diagnostics;

namespace TokenLint.Runtime;

/// <summary>
/// Meters every call that passes through it: the model, its tokens by kind (plain input, cache read, cache write,
/// output) normalised across providers, its cost from the model catalog, and the <see cref="TokenScope"/> it ran in.
/// Each call goes to the configured sinks and metrics and is added to its scope's totals. Streaming calls are metered
/// when the stream ends, from the usage the provider sends in it.
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
        "A TokenLint usage sink ({Sink}) failed; the call's answer is returned and the other sinks still get the record.");

    private readonly TokenMeteringOptions _options;
    private readonly ITokenUsageSink[] _sinks;
    private readonly TokenLintMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly HashSet<string> _warnedModels = new(StringComparer.Ordinal);
    private readonly DefaultModelId _defaultModel;

    public TokenMeteringChatClient(IChatClient innerClient, TokenMeteringOptions options, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _sinks = [.. options.Sinks];
        _metrics = options.EmitMetrics ? options.Metrics ?? TokenLintMetrics.Shared : null;
        _logger = logger ?? NullLogger.Instance;
        _defaultModel = new DefaultModelId(innerClient);
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        long started = _options.TimeProvider.GetTimestamp();
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        Meter(messages, options, response.ModelId, response.Usage, response.ResponseId, streaming: false, started);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long started = _options.TimeProvider.GetTimestamp();
        var streamed = new StreamedUsage();
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                streamed.Observe(update);
                yield return update;
            }
        }
        finally
        {
            // A stream the caller left early was still partly generated and billed: meter what arrived.
            if (streamed.Started)
            {
                Meter(messages, options, streamed.ModelId, streamed.Usage, streamed.ResponseId, streaming: true, started);
            }
        }
    }

    private void Meter(
        IEnumerable<ChatMessage> messages, ChatOptions? options, string? responseModel, UsageDetails? usage, string? responseId, bool streaming, long started)
    {
        string? model = responseModel ?? options?.ModelId ?? _defaultModel.Value;
        TokenCounts tokens = default;
        decimal? cost = null;
        if (usage is not null)
        {
            var ttl = _options.DefaultCacheWriteTtl;
            if (usage.AdditionalCounts?.ContainsKey(UsageNormalizer.CacheWriteTokensKey) == true)
            {
                ttl = CacheTtlDetector.Detect(messages, ttl);
            }

            tokens = UsageNormalizer.Normalize(usage, ttl);
            if (_options.Prices.TryGetPrice(model, out var price))
            {
                cost = price.Cost(tokens);
            }
            else
            {
                WarnUnpriced(model);
            }
        }

        var scope = TokenScope.Current;
        var record = new TokenUsageRecord
        {
            Timestamp = _options.TimeProvider.GetUtcNow(),
            Model = model,
            Tokens = tokens,
            CostUsd = cost,
            UsageReported = usage is not null,
            Agents = scope?.AgentPath ?? Array.Empty<string>(),
            Session = scope?.Session,
            Task = scope?.Task,
            ResponseId = responseId,
            Streaming = streaming,
            Duration = _options.TimeProvider.GetElapsedTime(started),
        };

        scope?.Add(tokens, cost);
        _metrics?.RecordCall(record);
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
            if (!_warnedModels.Add(key))
            {
                return;
            }
        }

        s_unpricedModel(_logger, key, null);
    }
}
