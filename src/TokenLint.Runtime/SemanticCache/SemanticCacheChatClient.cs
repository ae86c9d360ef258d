using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenLint.Runtime.Diagnostics;

namespace TokenLint.Runtime;

/// <summary>
/// Serves a stored answer when the same request, or the same question in other words, was answered before in the same
/// partition. An exact repeat (hash of the whole request) is served without computing an embedding; otherwise the last
/// user message is embedded and compared with the stored questions of its partition: the same system prompt,
/// instructions, earlier turns, model, tools, response format and answer-changing options, and the same
/// <see cref="SemanticCacheOptions.PartitionKey"/>. A hit sends nothing and carries zero usage (what it saved is in
/// its <see cref="ChatResponse.AdditionalProperties"/>), so metering above or below never bills it.
/// </summary>
/// <remarks>
/// Never cached: requests marked with <see cref="SemanticCacheChatOptionsExtensions.WithSemanticCacheBypass"/>, with a
/// <see cref="ChatOptions.ConversationId"/>, with non-text content (unless allowed); responses that call tools, end
/// for another reason than stop, exceed <see cref="SemanticCacheOptions.MaxResponseCharacters"/>, fail, or streams that
/// did not complete. An embedding or store failure sends the call to the provider; it never fails the call.
/// </remarks>
public sealed class SemanticCacheChatClient : DelegatingChatClient
{
    /// <summary>Key in a served response's <see cref="ChatResponse.AdditionalProperties"/>: "exact", "semantic" or "coalesced".</summary>
    public const string HitKey = "tokenlint.semantic_cache.hit";

    /// <summary>Key in a served response's additional properties: the stored response's <see cref="UsageDetails"/>, which the hit did not pay.</summary>
    public const string SavedUsageKey = "tokenlint.semantic_cache.saved_usage";

    /// <summary>Key in a response served by meaning: the cosine similarity of the stored question.</summary>
    public const string SimilarityKey = "tokenlint.semantic_cache.similarity";

    private static readonly Action<ILogger, Exception?> s_noPartitionKey = LoggerMessage.Define(
        LogLevel.Warning, new EventId(1, "SemanticCacheSharedPartition"),
        "The semantic cache has no PartitionKey: every caller of this client shares one partition, so in a multi-tenant application one user's answers (or one user's prompt injection) are served to others. Set SemanticCacheOptions.PartitionKey to the tenant or user id.");

    private static readonly Action<ILogger, string, Exception?> s_bypassed = LoggerMessage.Define<string>(
        LogLevel.Warning, new EventId(2, "SemanticCacheFailed"),
        "The semantic cache failed ({Reason}); the request goes to the provider.");

    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly SemanticCacheOptions _options;
    private readonly ISemanticCacheStore _store;
    private readonly QuestionMatcher _matcher;
    private readonly TokenLintMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Partition, string Key), TaskCompletionSource<ChatResponse?>> _inFlight = new();
    private readonly string? _defaultModel;
    private int _warnedNoPartition;

    public SemanticCacheChatClient(
        IChatClient innerClient, IEmbeddingGenerator<string, Embedding<float>> embeddings, SemanticCacheOptions? options = null, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        _embeddings = embeddings;
        _options = options ?? new SemanticCacheOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.TimeToLive, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Candidates, 1, nameof(options));
        _store = _options.Store ?? new InMemorySemanticCacheStore(_options.Capacity, _options.TimeProvider);
        _matcher = new QuestionMatcher(_options.SimilarityThreshold, _options.Guards) { RarityPenalty = _options.RarityPenalty };
        _metrics = _options.EmitMetrics ? _options.Metrics ?? TokenLintMetrics.Shared : null;
        _logger = logger ?? NullLogger.Instance;
        _defaultModel = innerClient.GetService<ChatClientMetadata>()?.DefaultModelId;
    }

    /// <summary>Hits, misses, bypasses and savings so far.</summary>
    public SemanticCacheStatistics Statistics => _options.Statistics;

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = Prepare(ref messages, options);
        if (request is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var exact = await GetExactAsync(request, cancellationToken).ConfigureAwait(false);
        if (exact is not null)
        {
            return Serve(exact, request, SemanticCacheHitKind.Exact, similarity: null);
        }

        if (request.Failed)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        // Identical requests in flight at once go to the provider once: the first looks up and asks, the rest wait.
        var flight = new TaskCompletionSource<ChatResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = (request.Partition, request.ExactKey);
        while (!_inFlight.TryAdd(key, flight))
        {
            if (_inFlight.TryGetValue(key, out var leader))
            {
                ChatResponse? shared;
                try
                {
                    shared = await leader.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The first caller gave up; this one has not.
                    shared = null;
                }

                if (shared is not null)
                {
                    return Serve(shared, request, SemanticCacheHitKind.Coalesced, similarity: null, storedUsage: shared.Usage);
                }

                return await AskAsync(messages, options, request, cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            // A leader that finished between this caller's exact lookup and its claim has stored its answer by now.
            var stored = await GetExactAsync(request, cancellationToken).ConfigureAwait(false);
            if (stored is not null)
            {
                flight.TrySetResult(stored.Response);
                return Serve(stored, request, SemanticCacheHitKind.Exact, similarity: null);
            }

            var (response, cacheable) = await LookUpOrAskAsync(messages, options, request, cancellationToken).ConfigureAwait(false);
            flight.TrySetResult(cacheable ? response : null);
            return response;
        }
        catch (OperationCanceledException)
        {
            flight.TrySetCanceled();
            throw;
        }
        catch (Exception e)
        {
            flight.TrySetException(e);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<(string, string), TaskCompletionSource<ChatResponse?>>(key, flight));
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = Prepare(ref messages, options);
        return request is null
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : StreamAsync(messages, options, request, cancellationToken);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(SemanticCacheStatistics) ? Statistics : base.GetService(serviceType, serviceKey);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, CacheRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stored = await GetExactAsync(request, cancellationToken).ConfigureAwait(false);
        SemanticCacheHitKind kind = SemanticCacheHitKind.Exact;
        float? similarity = null;
        if (stored is null && !request.Failed)
        {
            var match = await FindByMeaningAsync(request, cancellationToken).ConfigureAwait(false);
            stored = match?.Entry;
            similarity = match?.Similarity;
            kind = SemanticCacheHitKind.Semantic;
        }

        if (stored is not null)
        {
            foreach (var update in Serve(stored, request, kind, similarity).ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        if (!request.Failed)
        {
            Statistics.RecordMiss();
            _metrics?.RecordSemanticCacheMiss();
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        // Reached only when the stream completed: a caller that stopped reading, a cancellation or an error ends above.
        if (!request.Failed)
        {
            await StoreAsync(request, updates.ToChatResponse(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(ChatResponse Response, bool Cacheable)> LookUpOrAskAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, CacheRequest request, CancellationToken cancellationToken)
    {
        var match = await FindByMeaningAsync(request, cancellationToken).ConfigureAwait(false);
        if (match is { } found)
        {
            return (Serve(found.Entry, request, SemanticCacheHitKind.Semantic, found.Similarity), true);
        }

        if (request.Failed)
        {
            return (await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false), false);
        }

        Statistics.RecordMiss();
        _metrics?.RecordSemanticCacheMiss();
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return (response, await StoreAsync(request, response, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A follower whose leader's answer could not be shared asks the provider itself.</summary>
    private async Task<ChatResponse> AskAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CacheRequest request, CancellationToken cancellationToken)
    {
        Statistics.RecordMiss();
        _metrics?.RecordSemanticCacheMiss();
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        await StoreAsync(request, response, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>What the cache needs of a request, or null (after counting the bypass) when it must not be cached.</summary>
    private CacheRequest? Prepare(ref IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options.BypassesSemanticCache())
        {
            return Bypass(SemanticCacheBypassReason.OptedOut);
        }

        if (options?.ConversationId is not null)
        {
            return Bypass(SemanticCacheBypassReason.ConversationId);
        }

        // Enumerated once: the caller's sequence may be lazy.
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        messages = list;
        bool nonText = list.Any(m => m.Contents.Any(c => c is not (TextContent or TextReasoningContent or FunctionCallContent or FunctionResultContent or UsageContent)));
        if (nonText && !_options.AllowNonTextContent)
        {
            return Bypass(SemanticCacheBypassReason.NonTextContent);
        }

        string? partitionKey;
        try
        {
            partitionKey = _options.PartitionKey?.Invoke(list, options);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            s_bypassed(_logger, SemanticCacheMetricsTags.Reason(SemanticCacheBypassReason.PartitionKeyError), e);
            return Bypass(SemanticCacheBypassReason.PartitionKeyError);
        }

        if (_options.PartitionKey is null && Interlocked.Exchange(ref _warnedNoPartition, 1) == 0)
        {
            s_noPartitionKey(_logger, null);
        }

        // Only a last user message of plain text is matched by meaning; anything else is cached by exact repeat only.
        var last = list.Count > 0 ? list[^1] : null;
        string? question = last is not null && last.Role == ChatRole.User && last.Contents.All(c => c is TextContent) ? last.Text : null;
        string normalized = question is null ? "" : Normalize(question);
        var partition = RequestFingerprint.Compute(list, options, scope: null, partitionKey, skip: question is null ? null : last);
        string partitionText = RequestFingerprint.ToKey(partition);
        var exactKey = RequestFingerprint.Compute([new ChatMessage(ChatRole.User, normalized)], null, null, partitionText, skip: null);
        bool byMeaning = question is not null && !nonText && !string.IsNullOrWhiteSpace(normalized) && FitsWindow(normalized);
        return new CacheRequest(partitionText, RequestFingerprint.ToKey(exactKey), byMeaning ? normalized : null, question ?? "")
        {
            Model = options?.ModelId ?? _defaultModel,
        };
    }

    private CacheRequest? Bypass(SemanticCacheBypassReason reason)
    {
        Statistics.RecordBypass(reason);
        _metrics?.RecordSemanticCacheBypass(SemanticCacheMetricsTags.Reason(reason));
        return null;
    }

    /// <summary>White space trimmed and collapsed: what the exact key and the embedding see.</summary>
    internal static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private bool FitsWindow(string question)
    {
        int pieces;
        try
        {
            pieces = _options.CountEmbeddingTokens?.Invoke(question) ?? EstimateWordPieces(question);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            s_bypassed(_logger, "token count", e);
            return false;
        }

        return pieces <= _options.EmbeddingInputWindow;
    }

    /// <summary>
    /// An estimate of a BERT word-piece count that errs high: [CLS] and [SEP], one piece per punctuation mark, one per
    /// short word and one per four letters of a longer one.
    /// </summary>
    internal static int EstimateWordPieces(string text)
    {
        int pieces = 2;
        int run = 0;
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                run++;
                continue;
            }

            pieces += Pieces(run) + (char.IsWhiteSpace(c) ? 0 : 1);
            run = 0;
        }

        return pieces + Pieces(run);

        static int Pieces(int letters) => letters == 0 ? 0 : letters <= 6 ? 1 : (letters + 3) / 4;
    }

    private async Task<SemanticCacheEntry?> GetExactAsync(CacheRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.GetExactAsync(request.Partition, request.ExactKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Fail(request, SemanticCacheBypassReason.StoreError, e);
            return null;
        }
    }

    private async Task<SemanticCacheMatch?> FindByMeaningAsync(CacheRequest request, CancellationToken cancellationToken)
    {
        if (request.Question is null)
        {
            return null;
        }

        try
        {
            var embedding = await _embeddings.GenerateAsync(request.Question, cancellationToken: cancellationToken).ConfigureAwait(false);
            request.Vector = embedding.Vector;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Fail(request, SemanticCacheBypassReason.EmbeddingError, e);
            return null;
        }

        IReadOnlyList<SemanticCacheMatch> candidates;
        try
        {
            candidates = await _store.SearchAsync(request.Partition, request.Vector, _options.Candidates, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Fail(request, SemanticCacheBypassReason.StoreError, e);
            return null;
        }

        return _matcher.Choose(request.Question, candidates);
    }

    private void Fail(CacheRequest request, SemanticCacheBypassReason reason, Exception e)
    {
        s_bypassed(_logger, SemanticCacheMetricsTags.Reason(reason), e);
        request.Failed = true;
        Bypass(reason);
    }

    /// <summary>Stores a provider's answer unless it must not be served again; returns whether it was stored.</summary>
    private async Task<bool> StoreAsync(CacheRequest request, ChatResponse response, CancellationToken cancellationToken)
    {
        if (!IsCacheable(response))
        {
            Statistics.RecordNotStored();
            return false;
        }

        var now = _options.TimeProvider.GetUtcNow();
        var entry = new SemanticCacheEntry(
            request.Partition, request.ExactKey, request.Question ?? request.RawQuestion,
            request.Question is null ? ReadOnlyMemory<float>.Empty : request.Vector, response, now, now + _options.TimeToLive);
        try
        {
            await _store.SetAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            s_bypassed(_logger, SemanticCacheMetricsTags.Reason(SemanticCacheBypassReason.StoreError), e);
            _metrics?.RecordSemanticCacheBypass(SemanticCacheMetricsTags.Reason(SemanticCacheBypassReason.StoreError));
            Statistics.RecordBypass(SemanticCacheBypassReason.StoreError);
            return false;
        }

        if (request.Question is not null)
        {
            _matcher.Learn(request.Question);
        }

        return true;
    }

    private bool IsCacheable(ChatResponse response)
    {
        if (response.FinishReason is { } finish && finish != ChatFinishReason.Stop)
        {
            return false;
        }

        long characters = 0;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        characters += text.Text.Length;
                        break;
                    case TextReasoningContent or UsageContent:
                        break;
                    default:
                        // Tool calls, approvals, images: an answer to act on once, not to replay.
                        return false;
                }
            }
        }

        return characters > 0 && characters <= _options.MaxResponseCharacters;
    }

    private ChatResponse Serve(SemanticCacheEntry entry, CacheRequest request, SemanticCacheHitKind kind, float? similarity) =>
        Serve(entry.Response, request, kind, similarity, entry.Response.Usage);

    /// <summary>A copy of a stored answer with zero usage; what it saved goes in its additional properties.</summary>
    private ChatResponse Serve(ChatResponse stored, CacheRequest request, SemanticCacheHitKind kind, float? similarity, UsageDetails? storedUsage)
    {
        var served = new ChatResponse(stored.Messages.Select(m => m.Clone()).ToList())
        {
            ResponseId = stored.ResponseId,
            ModelId = stored.ModelId,
            CreatedAt = stored.CreatedAt,
            FinishReason = stored.FinishReason,
            Usage = new UsageDetails { InputTokenCount = 0, OutputTokenCount = 0, TotalTokenCount = 0 },
            AdditionalProperties = stored.AdditionalProperties is { } properties ? new AdditionalPropertiesDictionary(properties) : [],
        };
        served.AdditionalProperties[HitKey] = SemanticCacheMetricsTags.Hit(kind);
        if (storedUsage is not null)
        {
            served.AdditionalProperties[SavedUsageKey] = storedUsage;
        }

        if (similarity is float s)
        {
            served.AdditionalProperties[SimilarityKey] = s;
        }

        TokenCounts saved = storedUsage is null ? default : CallUsage.Measure(storedUsage, [], stored.RawRepresentation, CacheWriteTtl.FiveMinutes);
        string? model = stored.ModelId ?? request.Model;
        decimal? dollars = _options.Prices.TryGetPrice(model, out var price) ? price.Cost(saved) : null;
        Statistics.RecordHit(kind, saved, dollars);
        _metrics?.RecordSemanticCacheHit(SemanticCacheMetricsTags.Hit(kind), model, saved, dollars);
        return served;
    }

    /// <summary>One request as the cache sees it.</summary>
    private sealed class CacheRequest(string partition, string exactKey, string? question, string rawQuestion)
    {
        public string Partition { get; } = partition;

        public string ExactKey { get; } = exactKey;

        /// <summary>The normalised last user message, when it is matched by meaning; null for exact repeats only.</summary>
        public string? Question { get; } = question;

        public string RawQuestion { get; } = rawQuestion;

        public ReadOnlyMemory<float> Vector { get; set; }

        /// <summary>The model asked for, to price what a hit saved when the stored response names none.</summary>
        public string? Model { get; init; }

        /// <summary>The store or the embedding failed: go to the provider and store nothing.</summary>
        public bool Failed { get; set; }
    }
}
