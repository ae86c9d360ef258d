using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace TokenLint.Runtime.Diagnostics;

/// <summary>
/// The instruments TokenLint.Runtime publishes through <see cref="System.Diagnostics.Metrics"/>, for OpenTelemetry or
/// <c>dotnet-counters</c> to collect (meter <see cref="MeterName"/>). Only what Microsoft.Extensions.AI's
/// <c>UseOpenTelemetry</c> does not already emit: it has input and output tokens (<c>gen_ai.client.token.usage</c>),
/// TokenLint adds dollars, cache reads and writes, and its guards' refusals. Tags have bounded cardinality (model,
/// agent), never session ids.
/// </summary>
public sealed class TokenLintMetrics
{
    public const string MeterName = "TokenLint.Runtime";

    /// <summary>Counter, dollars: the catalog price of metered calls.</summary>
    public const string CostInstrument = "tokenlint.client.cost";

    /// <summary>Counter, tokens: prompt-cache reads and writes, tagged <c>tokenlint.cache.operation</c> = read | write.</summary>
    public const string CacheTokensInstrument = "tokenlint.client.cache.tokens";

    /// <summary>Counter: calls whose model has no price in the catalog (metered in tokens only).</summary>
    public const string UnpricedCallsInstrument = "tokenlint.client.unpriced_calls";

    /// <summary>Counter: calls whose provider reported no usage (their tokens are unknown).</summary>
    public const string CallsWithoutUsageInstrument = "tokenlint.client.calls_without_usage";

    /// <summary>Counter: calls a budget refused before they were sent, tagged with the limit's scope kind.</summary>
    public const string BudgetRejectionsInstrument = "tokenlint.budget.rejections";

    /// <summary>Counter: requests the loop guard stopped.</summary>
    public const string LoopGuardTripsInstrument = "tokenlint.loop_guard.trips";

    /// <summary>Counter: requests a semantic cache looked at, tagged <c>tokenlint.semantic_cache.outcome</c> = hit | miss | bypass and the hit's kind or the bypass's reason.</summary>
    public const string SemanticCacheRequestsInstrument = "tokenlint.semantic_cache.requests";

    /// <summary>Counter, tokens: tokens semantic cache hits did not send or receive, tagged <c>gen_ai.token.type</c> = input | output.</summary>
    public const string SemanticCacheSavedTokensInstrument = "tokenlint.semantic_cache.saved_tokens";

    /// <summary>Counter, dollars: the catalog price of the responses semantic cache hits served.</summary>
    public const string SemanticCacheSavedCostInstrument = "tokenlint.semantic_cache.saved_cost";

    /// <summary>Counter: calls a cascade made to its tiers, tagged <c>tokenlint.cascade.tier</c>.</summary>
    public const string CascadeAttemptsInstrument = "tokenlint.cascade.attempts";

    /// <summary>Counter: answers a cascade returned, tagged with the tier that gave them.</summary>
    public const string CascadeAcceptsInstrument = "tokenlint.cascade.accepts";

    /// <summary>Counter: requests a tier passed on to the next, tagged with the tier and <c>tokenlint.cascade.reason</c> (the rejecting check's name, or <c>error</c>).</summary>
    public const string CascadeEscalationsInstrument = "tokenlint.cascade.escalations";

    internal const string ModelTag = "gen_ai.response.model";
    internal const string AgentTag = "tokenlint.agent";
    internal const string CacheOperationTag = "tokenlint.cache.operation";
    internal const string ScopeKindTag = "tokenlint.budget.scope";
    internal const string SemanticCacheOutcomeTag = "tokenlint.semantic_cache.outcome";
    internal const string SemanticCacheKindTag = "tokenlint.semantic_cache.kind";
    internal const string SemanticCacheReasonTag = "tokenlint.semantic_cache.reason";
    internal const string TokenTypeTag = "gen_ai.token.type";
    internal const string CascadeTierTag = "tokenlint.cascade.tier";
    internal const string CascadeReasonTag = "tokenlint.cascade.reason";

    private readonly Counter<double> _cost;
    private readonly Counter<long> _cacheTokens;
    private readonly Counter<long> _unpriced;
    private readonly Counter<long> _withoutUsage;
    private readonly Counter<long> _budgetRejections;
    private readonly Counter<long> _loopTrips;
    private readonly Counter<long> _semanticCacheRequests;
    private readonly Counter<long> _semanticCacheSavedTokens;
    private readonly Counter<double> _semanticCacheSavedCost;
    private readonly Counter<long> _cascadeAttempts;
    private readonly Counter<long> _cascadeAccepts;
    private readonly Counter<long> _cascadeEscalations;

    /// <param name="meterFactory">The application's factory (from dependency injection), or null for a shared static meter.</param>
    public TokenLintMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? SharedMeter;
        _cost = meter.CreateCounter<double>(CostInstrument, "USD", "Dollar cost of model calls, from the TokenLint model catalog.");
        _cacheTokens = meter.CreateCounter<long>(CacheTokensInstrument, "{token}", "Prompt-cache read and write tokens of model calls.");
        _unpriced = meter.CreateCounter<long>(UnpricedCallsInstrument, "{call}", "Model calls whose model has no price in the catalog.");
        _withoutUsage = meter.CreateCounter<long>(CallsWithoutUsageInstrument, "{call}", "Model calls whose provider reported no usage.");
        _budgetRejections = meter.CreateCounter<long>(BudgetRejectionsInstrument, "{call}", "Model calls refused by a token budget before being sent.");
        _loopTrips = meter.CreateCounter<long>(LoopGuardTripsInstrument, "{call}", "Requests stopped by the loop guard.");
        _semanticCacheRequests = meter.CreateCounter<long>(SemanticCacheRequestsInstrument, "{request}", "Requests seen by a semantic cache: hits, misses and bypasses.");
        _semanticCacheSavedTokens = meter.CreateCounter<long>(SemanticCacheSavedTokensInstrument, "{token}", "Tokens semantic cache hits did not send or receive.");
        _semanticCacheSavedCost = meter.CreateCounter<double>(SemanticCacheSavedCostInstrument, "USD", "Dollar cost of the responses semantic cache hits served again, from the TokenLint model catalog.");
        _cascadeAttempts = meter.CreateCounter<long>(CascadeAttemptsInstrument, "{call}", "Calls a model cascade made to its tiers.");
        _cascadeAccepts = meter.CreateCounter<long>(CascadeAcceptsInstrument, "{response}", "Answers a model cascade returned, by tier.");
        _cascadeEscalations = meter.CreateCounter<long>(CascadeEscalationsInstrument, "{request}", "Requests a cascade tier passed on to the next tier, by reason.");
    }

    private static Meter SharedMeter { get; } = new(MeterName);

    /// <summary>Metrics on the application's <see cref="IMeterFactory"/> when the pipeline's services have one; null to use <see cref="Shared"/>.</summary>
    internal static TokenLintMetrics? FromServices(System.IServiceProvider services) =>
        services.GetService(typeof(IMeterFactory)) is IMeterFactory factory ? new TokenLintMetrics(factory) : null;

    /// <summary>Metrics on the shared static meter.</summary>
    public static TokenLintMetrics Shared { get; } = new();

    internal void RecordCall(TokenUsageRecord record)
    {
        var model = new KeyValuePair<string, object?>(ModelTag, record.Model);
        var agent = new KeyValuePair<string, object?>(AgentTag, record.Agent);
        if (record.CostUsd is decimal cost)
        {
            if (_cost.Enabled)
            {
                _cost.Add((double)cost, model, agent);
            }
        }
        else if (!record.UsageReported)
        {
            _withoutUsage.Add(1, model, agent);
        }
        else
        {
            _unpriced.Add(1, model, agent);
        }

        if (_cacheTokens.Enabled)
        {
            if (record.Tokens.CacheReadTokens > 0)
            {
                _cacheTokens.Add(record.Tokens.CacheReadTokens, model, agent, new KeyValuePair<string, object?>(CacheOperationTag, "read"));
            }

            if (record.Tokens.CacheWriteTokens > 0)
            {
                _cacheTokens.Add(record.Tokens.CacheWriteTokens, model, agent, new KeyValuePair<string, object?>(CacheOperationTag, "write"));
            }
        }
    }

    internal void RecordBudgetRejection(string scopeKind, string? agent) =>
        _budgetRejections.Add(1, new KeyValuePair<string, object?>(ScopeKindTag, scopeKind), new KeyValuePair<string, object?>(AgentTag, agent));

    internal void RecordLoopTrip(string? agent) =>
        _loopTrips.Add(1, new KeyValuePair<string, object?>(AgentTag, agent));

    internal void RecordSemanticCacheHit(string kind, string? model, TokenCounts saved, decimal? dollars)
    {
        _semanticCacheRequests.Add(1, new KeyValuePair<string, object?>(SemanticCacheOutcomeTag, "hit"), new KeyValuePair<string, object?>(SemanticCacheKindTag, kind));
        var modelTag = new KeyValuePair<string, object?>(ModelTag, model);
        if (saved.TotalInputTokens > 0)
        {
            _semanticCacheSavedTokens.Add(saved.TotalInputTokens, modelTag, new KeyValuePair<string, object?>(TokenTypeTag, "input"));
        }

        if (saved.OutputTokens > 0)
        {
            _semanticCacheSavedTokens.Add(saved.OutputTokens, modelTag, new KeyValuePair<string, object?>(TokenTypeTag, "output"));
        }

        if (dollars is decimal cost)
        {
            _semanticCacheSavedCost.Add((double)cost, modelTag);
        }
    }

    internal void RecordSemanticCacheMiss() =>
        _semanticCacheRequests.Add(1, new KeyValuePair<string, object?>(SemanticCacheOutcomeTag, "miss"));

    internal void RecordSemanticCacheBypass(string reason) =>
        _semanticCacheRequests.Add(1, new KeyValuePair<string, object?>(SemanticCacheOutcomeTag, "bypass"), new KeyValuePair<string, object?>(SemanticCacheReasonTag, reason));

    internal void RecordCascadeAttempt(string tier) =>
        _cascadeAttempts.Add(1, new KeyValuePair<string, object?>(CascadeTierTag, tier));

    internal void RecordCascadeAccept(string tier) =>
        _cascadeAccepts.Add(1, new KeyValuePair<string, object?>(CascadeTierTag, tier));

    internal void RecordCascadeEscalation(string tier, string reason) =>
        _cascadeEscalations.Add(1, new KeyValuePair<string, object?>(CascadeTierTag, tier), new KeyValuePair<string, object?>(CascadeReasonTag, reason));
}
