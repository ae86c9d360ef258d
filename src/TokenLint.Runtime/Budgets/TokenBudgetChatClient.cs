using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenLint.Runtime.Diagnostics;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>
/// Enforces a <see cref="TokenBudget"/>: before a call is sent, its estimate is reserved against every limit that
/// applies in the current <see cref="TokenScope"/>; a call that would exceed one fails with
/// <see cref="TokenBudgetExceededException"/> and is never sent. When the call ends, the reservation is replaced by
/// the usage the provider reported.
/// </summary>
/// <remarks>
/// Place it below <c>UseFunctionInvocation</c>, as metering: each round trip to the model is then checked. Above
/// it, one reservation would cover a request that may make many round trips.
/// A streaming call reserves when it is made and settles when its stream ends or is disposed: dispose streams you
/// do not read to the end (<c>await foreach</c> does).
/// </remarks>
public sealed class TokenBudgetChatClient : DelegatingChatClient
{
    private static readonly Action<ILogger, string, Exception?> s_refused = LoggerMessage.Define<string>(
        LogLevel.Warning, new EventId(20, "BudgetRefusedCall"), "TokenLint refused a call before sending it: {Reason}");

    private readonly TokenBudget _budget;
    private readonly TokenLintMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string? _defaultModel;

    public TokenBudgetChatClient(IChatClient innerClient, TokenBudget budget, TokenLintMetrics? metrics = null, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        _metrics = metrics ?? TokenLintMetrics.Shared;
        _logger = logger ?? NullLogger.Instance;
        _defaultModel = innerClient.GetService<ChatClientMetadata>()?.DefaultModelId;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (pending, model) = Reserve(messages, options, cancellationToken);
        var reservation = await pending.ConfigureAwait(false);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await SettleFailureAsync(reservation, e).ConfigureAwait(false);
            throw;
        }

        await SettleAsync(reservation, response.ModelId ?? model, response.Usage, messages, response.RawRepresentation).ConfigureAwait(false);
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Reserved now, in the caller's scope: an iterator's body would run only when the stream is first read. A store
        // that answers at once (the in-memory one) refuses the call here; a remote one's answer is awaited on first read.
        var (pending, model) = Reserve(messages, options, cancellationToken);
        if (pending.IsCompleted)
        {
            var reservation = pending.Result;
            return SettleStream(messages, options, new ValueTask<TokenBudget.Reservation>(reservation), model, cancellationToken);
        }

        return SettleStream(messages, options, pending, model, cancellationToken);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(TokenBudget) ? _budget : base.GetService(serviceType, serviceKey);

    private async IAsyncEnumerable<ChatResponseUpdate> SettleStream(
        IEnumerable<ChatMessage> messages, ChatOptions? options, ValueTask<TokenBudget.Reservation> pending, string? model,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reservation = await pending.ConfigureAwait(false);
        var streamed = new StreamedUsage();
        bool settled = false;
        try
        {
            await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception e) when (!streamed.Started)
                {
                    settled = true;
                    await SettleFailureAsync(reservation, e).ConfigureAwait(false);
                    throw;
                }

                streamed.Observe(updates.Current);
                yield return updates.Current;
            }
        }
        finally
        {
            if (!settled)
            {
                // Charge what was reported; a stream that generated without reporting usage is charged its estimate.
                await SettleAsync(reservation, streamed.ModelId ?? model, streamed.Started ? streamed.Usage : null, messages, rawResponse: null, nothingSent: !streamed.Started).ConfigureAwait(false);
            }
        }
    }

    private (ValueTask<TokenBudget.Reservation> Pending, string? Model) Reserve(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        string? model = options?.ModelId ?? _defaultModel;
        var scope = TokenScope.Current;
        if (!_budget.AppliesTo(scope))
        {
            return (new ValueTask<TokenBudget.Reservation>(TokenBudget.Unlimited), model);
        }

        var price = _budget.Prices.TryGetPrice(model, out var found) ? found : null;
        long input = _budget.Estimator.EstimateInputTokens(messages, options, price);
        long output = _budget.Estimator.EstimateOutputTokens(options, price);
        var estimate = new TokenBudget.Estimate(
            input + output,
            price?.Cost(new TokenCounts { InputTokens = input, OutputTokens = output }),
            input,
            price?.Cost(new TokenCounts { InputTokens = input }));
        return (Observed(_budget.ReserveAsync(estimate, scope, model, cancellationToken), scope), model);
    }

    /// <summary>Counts and logs a refusal when the store's answer comes.</summary>
    private async ValueTask<TokenBudget.Reservation> Observed(ValueTask<TokenBudget.Reservation> pending, TokenScope? scope)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return pending.Result;
        }

        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (Refused(e, scope))
        {
            throw;
        }
    }

    /// <summary>Records a refusal; false, so that it can sit in an exception filter and leave the stack as it was.</summary>
    private bool Refused(Exception e, TokenScope? scope)
    {
        string? kind = e switch
        {
            TokenBudgetExceededException exceeded => exceeded.ScopeKind.ToString().ToLowerInvariant(),
            UnpricedModelException => "unpriced",
            BudgetStoreUnavailableException => "unavailable",
            _ => null,
        };
        if (kind is not null)
        {
            _metrics.RecordBudgetRejection(kind, scope?.InnermostAgent);
            s_refused(_logger, e.Message, null);
        }

        return false;
    }

    private ValueTask SettleAsync(TokenBudget.Reservation reservation, string? model, UsageDetails? usage, IEnumerable<ChatMessage> messages, object? rawResponse, bool nothingSent = false)
    {
        if (reservation.Stored is null)
        {
            return ValueTask.CompletedTask; // no limit applied: nothing to settle, nothing to measure
        }

        if (nothingSent)
        {
            return _budget.SettleAsync(reservation, 0, 0m);
        }

        if (usage is null)
        {
            return _budget.SettleAsync(reservation, reservation.Estimate.Tokens, reservation.Estimate.Dollars ?? 0m);
        }

        // Priced as metering prices it, so the budget's spend and the ledger agree.
        var (tokens, dollars) = CallPricing.Price(_budget.Prices, model, usage, messages, rawResponse, _budget.DefaultCacheWriteTtl);
        // A model that answers under another name than the one priced up front: fall back to the estimate's dollars.
        return _budget.SettleAsync(reservation, tokens.TotalTokens, dollars ?? reservation.Estimate.Dollars ?? 0m);
    }

    /// <summary>
    /// A call that failed: a timeout or cancellation may have come after the provider read the whole prompt, so the
    /// prompt's estimate is charged; any other failure (a rejected request, a connection that never opened) costs nothing.
    /// </summary>
    private ValueTask SettleFailureAsync(TokenBudget.Reservation reservation, Exception failure)
    {
        bool mayHaveBeenProcessed = failure is OperationCanceledException or TimeoutException
            || (failure is HttpRequestException { StatusCode: null } && failure.InnerException is TimeoutException);
        return mayHaveBeenProcessed
            ? _budget.SettleAsync(reservation, reservation.Estimate.InputTokens, reservation.Estimate.InputDollars ?? 0m)
            : _budget.SettleAsync(reservation, 0, 0m);
    }
}
