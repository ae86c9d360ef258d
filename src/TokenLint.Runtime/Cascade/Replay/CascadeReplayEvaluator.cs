using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// Scores an acceptance policy on recorded answers: each row goes through a real <see cref="CascadeChatClient"/>
/// (built with <c>UseCascade</c>) whose tiers return the recorded answers, and the cost is read from the attempts on
/// the responses, as a ledger would. The correctness labels stay here: they score the result and never reach the
/// tiers or the policy. Checks that need fresh calls (self-consistency, a judge) cannot be replayed: each tier has
/// one recorded answer per row.
/// </summary>
public sealed class CascadeReplayEvaluator
{
    private static readonly Lazy<Tokenizer> s_o200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    private readonly CascadeReplayTier[] _tiers;
    private readonly Func<string, int> _countTokens;

    /// <param name="tiers">Cheapest first, as the rows' answers are.</param>
    /// <param name="countTokens">Counts a text's tokens; o200k_base unless given.</param>
    public CascadeReplayEvaluator(IReadOnlyList<CascadeReplayTier> tiers, Func<string, int>? countTokens = null)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count < 2)
        {
            throw new ArgumentException("A cascade needs at least two tiers.", nameof(tiers));
        }

        _tiers = [.. tiers];
        _countTokens = countTokens ?? (text => s_o200k.Value.CountTokens(text));
    }

    /// <summary>Replays every row through a cascade with <paramref name="policy"/> as its acceptance check.</summary>
    public async Task<CascadeReplayReport> EvaluateAsync(
        IReadOnlyList<CascadeReplayRow> rows, AcceptanceCheck policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return await EvaluateAsync(Prepare(rows), policy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replays the rows once per threshold with <paramref name="policyAt"/>(threshold), and marks the thresholds no other
    /// one beats on both cost and accuracy (all of them when the rows have no labels to rank by).
    /// </summary>
    public async Task<IReadOnlyList<CascadeReplayPoint>> FrontierAsync(
        IReadOnlyList<CascadeReplayRow> rows, Func<double, AcceptanceCheck> policyAt, IEnumerable<double> thresholds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policyAt);
        ArgumentNullException.ThrowIfNull(thresholds);
        var prepared = Prepare(rows);
        var reports = new List<(double Threshold, CascadeReplayReport Report)>();
        foreach (double threshold in thresholds)
        {
            reports.Add((threshold, await EvaluateAsync(prepared, policyAt(threshold), cancellationToken).ConfigureAwait(false)));
        }

        return reports.Select(r => new CascadeReplayPoint(r.Threshold, r.Report, !reports.Any(o => Dominates(o.Report, r.Report)))).ToList();
    }

    private static bool Dominates(CascadeReplayReport a, CascadeReplayReport b) =>
        a.Accuracy is double accuracyA && b.Accuracy is double accuracyB
        && a.Cost <= b.Cost && accuracyA >= accuracyB && (a.Cost < b.Cost || accuracyA > accuracyB);

    private PreparedRows Prepare(IReadOnlyList<CascadeReplayRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var tokens = new (int Input, int Output)[_tiers.Length][];
        var answers = new string[_tiers.Length][];
        for (int t = 0; t < _tiers.Length; t++)
        {
            tokens[t] = new (int, int)[rows.Count];
            answers[t] = new string[rows.Count];
        }

        bool labelled = rows.Count > 0;
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r] ?? throw new ArgumentException($"Row {r} is null.", nameof(rows));
            if (row.Answers.Count != _tiers.Length)
            {
                throw new ArgumentException($"Row {r} has {row.Answers.Count} answers for {_tiers.Length} tiers.", nameof(rows));
            }

            labelled &= row.Correct is not null;
            if (row.Correct is { } correct && correct.Count != _tiers.Length)
            {
                throw new ArgumentException($"Row {r} has {correct.Count} labels for {_tiers.Length} tiers.", nameof(rows));
            }

            int input = _countTokens(row.Prompt);
            for (int t = 0; t < _tiers.Length; t++)
            {
                answers[t][r] = row.Answers[t];
                tokens[t][r] = (input, _countTokens(row.Answers[t]));
            }
        }

        return new PreparedRows(rows, answers, tokens, labelled);
    }

    private async Task<CascadeReplayReport> EvaluateAsync(PreparedRows prepared, AcceptanceCheck policy, CancellationToken cancellationToken)
    {
        var rows = prepared.Rows;
        var tiers = new CascadeTier[_tiers.Length - 1];
        for (int t = 1; t < _tiers.Length; t++)
        {
            tiers[t - 1] = new CascadeTier(new ReplayTierClient(_tiers[t].Name, prepared.Answers[t], prepared.Tokens[t]), _tiers[t].Name);
        }

        using var cascade = new ChatClientBuilder(new ReplayTierClient(_tiers[0].Name, prepared.Answers[0], prepared.Tokens[0]))
            .UseCascade(o =>
            {
                o.Acceptance = policy;
                o.EmitMetrics = false;
            }, tiers)
            .Build();

        int last = _tiers.Length - 1;
        var answering = new int[rows.Count];
        var rejections = new string?[rows.Count];
        decimal cost = 0, lastOnly = 0;
        int correct = 0, lastCorrect = 0, escalated = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            var options = new ChatOptions { AdditionalProperties = new() { [ReplayTierClient.RowKey] = r } };
            var response = await cascade.GetResponseAsync([new ChatMessage(ChatRole.User, rows[r].Prompt)], options, cancellationToken).ConfigureAwait(false);
            var attempts = response.GetCascadeAttempts();
            foreach (var attempt in attempts)
            {
                cost += _tiers[attempt.TierIndex].Cost(attempt.Usage?.InputTokenCount ?? 0, attempt.Usage?.OutputTokenCount ?? 0);
            }

            int tier = attempts[^1].TierIndex;
            rejections[r] = attempts[0].Reason is { } reason ? attempts[0].RejectedBy + ": " + reason : null;
            answering[r] = tier;
            escalated += tier > 0 ? 1 : 0;
            lastOnly += _tiers[last].Cost(prepared.Tokens[last][r].Input, prepared.Tokens[last][r].Output);
            if (prepared.Labelled)
            {
                correct += rows[r].Correct![tier] ? 1 : 0;
                lastCorrect += rows[r].Correct![last] ? 1 : 0;
            }
        }

        double? accuracy = prepared.Labelled ? (double)correct / rows.Count : null;
        double? lastAccuracy = prepared.Labelled ? (double)lastCorrect / rows.Count : null;
        return new CascadeReplayReport
        {
            Rows = rows.Count,
            AnsweringTier = answering,
            Rejections = rejections,
            EscalationRate = rows.Count == 0 ? 0 : (double)escalated / rows.Count,
            Cost = cost,
            LastTierOnlyCost = lastOnly,
            Saving = lastOnly == 0 ? 0 : (double)(1 - cost / lastOnly),
            Accuracy = accuracy,
            LastTierOnlyAccuracy = lastAccuracy,
            Quality = lastCorrect == 0 ? null : accuracy / lastAccuracy,
        };
    }

    private sealed record PreparedRows(IReadOnlyList<CascadeReplayRow> Rows, string[][] Answers, (int Input, int Output)[][] Tokens, bool Labelled);
}
