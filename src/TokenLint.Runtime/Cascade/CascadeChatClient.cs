using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenLint.Runtime.Diagnostics;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// Asks the cheapest tier first and returns its answer when the acceptance checks pass; otherwise asks the next
/// tier with the original request. The last tier's answer is returned as is. A tier that fails with a transient
/// provider error escalates too; TokenLint's own refusals (budget, loop guard) and the caller's cancellation never do.
/// </summary>
/// <remarks>
/// <para>The response is the answering tier's, its <see cref="ChatResponse.Usage"/> that call's alone; every call the
/// cascade made (rejected answers, failures, the checks' samples and judges) is on the response
/// (<see cref="CascadeResponseExtensions.GetCascadeAttempts"/>), each under its own model.</para>
/// <para>Metering: put <c>UseTokenMetering</c> inside each tier's pipeline, or set <see cref="CascadeOptions.Metering"/>;
/// a <c>UseTokenMetering</c> above the cascade meters only the attempts nobody metered yet, each under its own model,
/// so no token counts twice. Budgets: put <c>UseTokenBudget</c> inside each tier's pipeline (one shared
/// <see cref="TokenBudget"/> caps the tiers together), so every attempt is checked before it is sent.</para>
/// </remarks>
public sealed class CascadeChatClient : DelegatingChatClient
{
    private static readonly Action<ILogger, string, string, string, Exception?> s_escalated = LoggerMessage.Define<string, string, string>(
        LogLevel.Debug, new EventId(40, "CascadeEscalated"), "Cascade tier '{Tier}' passed the request on ({Check}): {Reason}");

    private readonly CascadeTier[] _tiers;
    private readonly IChatClient[] _clients;
    private readonly bool[] _meteredInside;
    private readonly string?[] _defaultModels;
    private readonly CascadeOptions _options;
    private readonly AcceptanceCheck _acceptance;
    private readonly TokenLintMetrics? _metrics;
    private readonly ILogger _logger;

    /// <param name="tiers">Cheapest first; at least two.</param>
    /// <param name="options">The acceptance checks and escalation settings.</param>
    /// <param name="logger">Escalations are logged at Debug.</param>
    public CascadeChatClient(IReadOnlyList<CascadeTier> tiers, CascadeOptions? options = null, ILogger? logger = null)
        : base(FirstClient(tiers))
    {
        if (tiers.Count < 2)
        {
            throw new ArgumentException("A cascade needs at least two tiers, cheapest first.", nameof(tiers));
        }

        _options = options ?? new CascadeOptions();
        _acceptance = _options.Acceptance ?? throw new ArgumentException("CascadeOptions.Acceptance is null.", nameof(options));
        _tiers = [.. tiers];
        _clients = new IChatClient[_tiers.Length];
        _meteredInside = new bool[_tiers.Length];
        _defaultModels = new string?[_tiers.Length];
        for (int i = 0; i < _tiers.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_tiers[i], nameof(tiers));
            if (!_tiers[i].IsNamed)
            {
                _tiers[i] = new CascadeTier(_tiers[i].Client, "tier" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            (_clients[i], _meteredInside[i]) = Metered(_tiers[i].Client);
            _defaultModels[i] = _tiers[i].Client.GetService<ChatClientMetadata>()?.DefaultModelId;
        }

        _metrics = _options.EmitMetrics ? _options.Metrics ?? TokenLintMetrics.Shared : null;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The tiers, cheapest first.</summary>
    public IReadOnlyList<CascadeTier> Tiers => _tiers;

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var run = new CascadeRun(this);
        IEnumerable<ChatMessage> tierMessages = request;
        for (int i = 0; ; i++)
        {
            bool last = i == _tiers.Length - 1;
            var tier = _tiers[i];
            _metrics?.RecordCascadeAttempt(tier.Name);
            ChatResponse response;
            try
            {
                response = await _clients[i].GetResponseAsync(tierMessages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!last && Escalates(e, cancellationToken))
            {
                Failed(run, i, options, e);
                continue;
            }

            int index = run.Add(Attempt(i, options, response.ModelId, response.Usage, response.ResponseId));
            if (last)
            {
                return run.Finish(response, Answered(run, index, last));
            }

            if (await EscalationAsync(run, index, request, options, response, cancellationToken).ConfigureAwait(false) is not { } next)
            {
                return run.Finish(response, Answered(run, index, last));
            }

            tierMessages = next;
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages as IReadOnlyList<ChatMessage> ?? messages.ToList(), options, cancellationToken);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : base.GetService(serviceType, serviceKey);
    }

    /// <summary>The client a check's call goes through, metered as the tiers are, and whether a meter records it.</summary>
    internal (IChatClient Client, bool Metered) ClientForCheck(IChatClient client, int tierIndex) =>
        ReferenceEquals(client, _tiers[tierIndex].Client) ? (_clients[tierIndex], _meteredInside[tierIndex]) : Metered(client);

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        IReadOnlyList<ChatMessage> request, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var run = new CascadeRun(this);
        IEnumerable<ChatMessage> tierMessages = request;
        for (int i = 0; ; i++)
        {
            bool last = i == _tiers.Length - 1;
            var tier = _tiers[i];
            _metrics?.RecordCascadeAttempt(tier.Name);
            if (last && _options.StreamLastTierDirectly)
            {
                var streamed = new StreamedUsage();
                await foreach (var update in _clients[i].GetStreamingResponseAsync(tierMessages, options, cancellationToken).ConfigureAwait(false))
                {
                    streamed.Observe(update);
                    yield return update;
                }

                int directIndex = run.Add(Attempt(i, options, streamed.ModelId, streamed.Usage, streamed.ResponseId));
                yield return run.FinishUpdate(Answered(run, directIndex, last), streamed.ResponseId);
                yield break;
            }

            var buffer = new List<ChatResponseUpdate>();
            Exception? failure = null;
            var updates = _clients[i].GetStreamingResponseAsync(tierMessages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception e) when (!last && Escalates(e, cancellationToken))
                    {
                        failure = e;
                        break;
                    }

                    buffer.Add(updates.Current);
                }
            }
            finally
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            if (failure is not null)
            {
                Failed(run, i, options, failure);
                continue;
            }

            var response = buffer.ToChatResponse();
            int index = run.Add(Attempt(i, options, response.ModelId, response.Usage, response.ResponseId));
            if (!last && await EscalationAsync(run, index, request, options, response, cancellationToken).ConfigureAwait(false) is { } next)
            {
                tierMessages = next;
                continue;
            }

            string answered = Answered(run, index, last);
            foreach (var update in buffer)
            {
                yield return update;
            }

            yield return run.FinishUpdate(answered, response.ResponseId);
            yield break;
        }
    }

    private static IChatClient FirstClient(IReadOnlyList<CascadeTier> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return tiers.Count > 0 && tiers[0] is { } first ? first.Client : throw new ArgumentException("A cascade needs at least two tiers, cheapest first.", nameof(tiers));
    }

    private static List<ChatMessage> WithRejectedAnswer(IReadOnlyList<ChatMessage> request, string rejected, AcceptanceVerdict verdict) =>
    [
        .. request,
        new ChatMessage(ChatRole.Assistant, rejected),
        new ChatMessage(ChatRole.User, $"That answer was rejected ({verdict.Reason}). Answer the request above again."),
    ];

    private (IChatClient Client, bool Metered) Metered(IChatClient client)
    {
        if (client.GetService<TokenMeteringChatClient>() is not null)
        {
            return (client, true);
        }

        return _options.Metering is { } metering ? (new TokenMeteringChatClient(client, metering), true) : (client, false);
    }

    private bool Escalates(Exception error, CancellationToken cancellationToken) =>
        _options.EscalateOnTransientErrors
        && !cancellationToken.IsCancellationRequested
        && error is not TokenGuardException
        && _options.IsTransientError(error);

    private CascadeAttempt Attempt(int tierIndex, ChatOptions? options, string? model, UsageDetails? usage, string? responseId) => new()
    {
        TierIndex = tierIndex,
        Tier = _tiers[tierIndex].Name,
        Model = model ?? options?.ModelId ?? _defaultModels[tierIndex],
        Usage = usage,
        ResponseId = responseId,
        Outcome = CascadeAttemptOutcome.Accepted,
        Metered = _meteredInside[tierIndex],
    };

    private void Failed(CascadeRun run, int tierIndex, ChatOptions? options, Exception error)
    {
        string reason = error.GetType().Name + ": " + error.Message;
        run.Add(Attempt(tierIndex, options, null, null, null) with { Outcome = CascadeAttemptOutcome.Failed, RejectedBy = "error", Reason = reason });
        _metrics?.RecordCascadeEscalation(_tiers[tierIndex].Name, "error");
        s_escalated(_logger, _tiers[tierIndex].Name, "error", reason, null);
    }

    /// <summary>Runs the checks on the answer at <paramref name="index"/>: null when accepted, else the next tier's request.</summary>
    private async ValueTask<IEnumerable<ChatMessage>?> EscalationAsync(
        CascadeRun run, int index, IReadOnlyList<ChatMessage> request, ChatOptions? options, ChatResponse response, CancellationToken cancellationToken)
    {
        int tierIndex = run.Attempts[index].TierIndex;
        var context = new AcceptanceContext(request, options, response, _tiers[tierIndex], tierIndex, run);
        var verdict = await _acceptance.EvaluateAsync(context, cancellationToken).ConfigureAwait(false);
        if (verdict.Accepted)
        {
            return null;
        }

        Rejected(run, index, verdict);
        return _options.IncludeRejectedAnswer ? WithRejectedAnswer(request, response.Text, verdict) : request;
    }

    private void Rejected(CascadeRun run, int index, AcceptanceVerdict verdict)
    {
        var attempt = run.Attempts[index];
        string check = verdict.Check ?? _acceptance.Name;
        run.Replace(index, attempt with { Outcome = CascadeAttemptOutcome.Rejected, RejectedBy = check, Reason = verdict.Reason });
        _metrics?.RecordCascadeEscalation(attempt.Tier, check);
        s_escalated(_logger, attempt.Tier, check, verdict.Reason ?? string.Empty, null);
    }

    /// <summary>Records the answer at <paramref name="index"/> as the one returned; returns its tier's name.</summary>
    private string Answered(CascadeRun run, int index, bool last)
    {
        var attempt = run.Attempts[index];
        if (last)
        {
            run.Replace(index, attempt with { Outcome = CascadeAttemptOutcome.Returned });
        }

        _metrics?.RecordCascadeAccept(attempt.Tier);
        return attempt.Tier;
    }
}
