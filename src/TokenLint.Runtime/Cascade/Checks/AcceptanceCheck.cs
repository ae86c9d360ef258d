using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// Decides whether a tier's answer is good enough to return. Compose checks with <see cref="All"/>, <see cref="Any"/>
/// and <see cref="Scored"/>; put cheap checks (finish, format, a validator) before paid ones (samples, a judge), since
/// <see cref="All"/> stops at the first rejection.
/// </summary>
public abstract class AcceptanceCheck
{
    /// <summary>A short fixed name (snake_case), reported as the rejecting check and used as a metric tag.</summary>
    public abstract string Name { get; }

    public abstract ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken);

    /// <summary>Accepts when every check accepts, asking them in order and stopping at the first rejection (whose reason it reports).</summary>
    public static AcceptanceCheck All(params AcceptanceCheck[] checks) => new AllCheck(checks);

    /// <summary>Accepts when one check accepts, asking them in order; a rejection reports every check's reason.</summary>
    public static AcceptanceCheck Any(params AcceptanceCheck[] checks) => new AnyCheck(checks);

    /// <summary>
    /// Accepts when the weighted mean of the checks' scores reaches <paramref name="threshold"/> (0 to 1): each check
    /// contributes its verdict's <see cref="AcceptanceVerdict.Score"/> times its weight. Every check is asked.
    /// </summary>
    public static AcceptanceCheck Scored(double threshold, params (AcceptanceCheck Check, double Weight)[] checks) =>
        new ScoredCheck(threshold, checks);

    /// <summary>The answer finished normally: finish reason stop (or none reported), some text, no refusal.</summary>
    public static AcceptanceCheck FinishedNormally(IEnumerable<string>? refusalPatterns = null) =>
        new FinishedNormallyCheck(refusalPatterns);

    /// <summary>The answer parses as <typeparamref name="T"/> in Microsoft.Extensions.AI's structured-output JSON, and passes <paramref name="predicate"/>.</summary>
    public static AcceptanceCheck StructuredOutput<T>(Func<T, bool>? predicate = null, System.Text.Json.JsonSerializerOptions? serializerOptions = null) =>
        new StructuredOutputCheck<T>(predicate, serializerOptions);

    /// <summary>Your own rule: return null to accept, or the reason to reject.</summary>
    public static AcceptanceCheck Validator(Func<AcceptanceContext, string?> validate, string name = ValidatorCheck.DefaultName) =>
        new ValidatorCheck(name, (context, _) => new ValueTask<string?>(validate(context)));

    /// <summary>Your own asynchronous rule: return null to accept, or the reason to reject.</summary>
    public static AcceptanceCheck Validator(Func<AcceptanceContext, CancellationToken, ValueTask<string?>> validate, string name = ValidatorCheck.DefaultName) =>
        new ValidatorCheck(name, validate);

    /// <summary>A check on the answer's text alone: return null to accept, or the reason to reject.</summary>
    public static AcceptanceCheck TextValidator(Func<string, string?> validate, string name = ValidatorCheck.DefaultName) =>
        new ValidatorCheck(name, (context, _) => new ValueTask<string?>(validate(context.Response.Text)));

    /// <summary>
    /// Draws <paramref name="samples"/> - 1 more answers from the tier at <paramref name="temperature"/> (the answer being
    /// judged is the first sample) and accepts when at least <paramref name="agree"/> of the <paramref name="samples"/>
    /// give the answer's extracted result. Samples are paid, metered, and bypass semantic caches.
    /// </summary>
    public static AcceptanceCheck SelfConsistency(int samples, int agree, float temperature, Func<string, string?> extractAnswer) =>
        new SelfConsistencyCheck(samples, agree, temperature, extractAnswer);

    /// <summary>Asks <paramref name="judge"/> to score the answer from 0 to 10 against <paramref name="rubric"/>; accepts at <paramref name="minimumScore"/> or more.</summary>
    public static AcceptanceCheck Judge(IChatClient judge, string rubric, double minimumScore = 7) =>
        new JudgeCheck(judge, rubric, minimumScore);
}
