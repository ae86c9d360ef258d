using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// Samples the tier again at a temperature and accepts when enough samples reach the answer's result: a model that
/// gives a different result each time it is asked is guessing. The answer being judged counts as the first sample.
/// </summary>
internal sealed class SelfConsistencyCheck : AcceptanceCheck
{
    private readonly int _samples;
    private readonly int _agree;
    private readonly float _temperature;
    private readonly Func<string, string?> _extract;

    public SelfConsistencyCheck(int samples, int agree, float temperature, Func<string, string?> extractAnswer)
    {
        ArgumentNullException.ThrowIfNull(extractAnswer);
        if (samples < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, "Self-consistency needs at least 2 samples (the answer and one more).");
        }

        if (agree < 1 || agree > samples)
        {
            throw new ArgumentOutOfRangeException(nameof(agree), agree, $"Between 1 and the number of samples ({samples}).");
        }

        _samples = samples;
        _agree = agree;
        _temperature = temperature;
        _extract = extractAnswer;
    }

    public override string Name => "self_consistency";

    public override async ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? answer = _extract(context.Response.Text);
        if (answer is null)
        {
            return AcceptanceVerdict.Reject(Name, "no answer could be extracted from the response");
        }

        // A clone per sample: the caller's options stay untouched, and the bypass keeps a semantic cache in the tier's
        // pipeline from serving every sample the first one's answer.
        var samples = new Task<ChatResponse>[_samples - 1];
        for (int i = 0; i < samples.Length; i++)
        {
            var options = (context.Options?.Clone() ?? new ChatOptions()).WithSemanticCacheBypass();
            options.Temperature = _temperature;
            samples[i] = context.CallAsync(context.Tier.Client, context.Messages, options, cancellationToken);
        }

        var responses = await Task.WhenAll(samples).ConfigureAwait(false);
        int agreeing = 1 + responses.Count(r => string.Equals(_extract(r.Text), answer, StringComparison.Ordinal));
        double score = (double)agreeing / _samples;
        return agreeing >= _agree
            ? AcceptanceVerdict.Accept(score)
            : AcceptanceVerdict.Reject(Name, $"{agreeing} of {_samples} samples gave '{Shorten(answer)}', {_agree} needed", score);
    }

    private static string Shorten(string answer) => answer.Length <= 40 ? answer : answer[..40] + "...";
}
