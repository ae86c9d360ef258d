using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Diagnostics;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>
/// Enforces a <see cref="TokenBudget"/>: before a call is sent, its estimate is reserved against every limit that
/// applies in the current <see cref="TokenScope"/>; a call that would exceed one fails with
/// <see cref="TokenBudgetExceededException"/> and is never sent. When the call ends, the reservation is replaced by
/// the usage the provider reported.
/// </summary>
public sealed class TokenBudgetChatClient : DelegatingChatClient
{
    private readonly TokenBudget _budget;
    private readonly TokenLintMetrics _metrics;
    private readonly DefaultModelId _defaultModel;

    public TokenBudgetChatClient(IChatClient innerClient, TokenBudget budget, TokenLintMetrics? metrics = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        _metrics = metrics ?? TokenLintMetrics.Shared;
        _defaultModel = new DefaultModelId(innerClient);
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (reservation, requestModel) = Reserve(messages, options);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _budget.Release(reservation);
            throw;
        }

        Settle(reservation, response.ModelId ?? requestModel, response.Usage);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (reservation, requestModel) = Reserve(messages, options);
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
            // Nothing generated: give the reservation back. Otherwise charge what was reported, or the estimate.
            if (streamed.Started)
            {
                Settle(reservation, streamed.ModelId ?? requestModel, streamed.Usage);
            }
            else
            {
                _budget.Release(reservation);
            }
        }
    }

    private (TokenBudget.Reservation Reservation, string? Model) Reserve(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        string? model = options?.ModelId ?? _defaultModel.Value;
        var price = _budget.Prices.TryGetPrice(model, out var found) ? found : null;
        long input = _budget.Estimator.EstimateInputTokens(messages, options, price);
        long output = _budget.Estimator.EstimateOutputTokens(options, price);
        decimal? dollars = price?.Cost(new TokenCounts { InputTokens = input, OutputTokens = output });
        var scope = TokenScope.Current;
        try
        {
            return (_budget.Reserve(input + output, dollars, scope, model), model);
        }
        catch (TokenBudgetExceededException e)
        {
            _metrics.RecordBudgetRejection(e.ScopeKind.ToString().ToLowerInvariant(), scope?.InnermostAgent);
            throw;
        }
        catch (UnpricedModelException)
        {
            _metrics.RecordBudgetRejection("unpriced", scope?.InnermostAgent);
            throw;
        }
    }

    private void Settle(TokenBudget.Reservation reservation, string? model, UsageDetails? usage)
    {
        if (usage is null)
        {
            _budget.Settle(reservation, actualTokens: null, actualDollars: null);
            return;
        }

        var tokens = UsageNormalizer.Normalize(usage);
        decimal? dollars = _budget.Prices.TryGetPrice(model, out ModelPrice price) ? price.Cost(tokens) : null;
        _budget.Settle(reservation, tokens.TotalTokens, dollars);
    }
}
