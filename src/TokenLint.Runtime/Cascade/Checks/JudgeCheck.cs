using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// Another model grades the answer against a rubric, 0 to 10. Its call is paid and recorded with the attempts. A
/// judge's reply without a score rejects: an unreadable verdict is no evidence that the answer is good.
/// </summary>
internal sealed partial class JudgeCheck : AcceptanceCheck
{
    private readonly IChatClient _judge;
    private readonly string _rubric;
    private readonly double _minimumScore;

    public JudgeCheck(IChatClient judge, string rubric, double minimumScore)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentException.ThrowIfNullOrWhiteSpace(rubric);
        if (double.IsNaN(minimumScore) || minimumScore < 0 || minimumScore > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumScore), minimumScore, "A judge scores from 0 to 10.");
        }

        _judge = judge;
        _rubric = rubric;
        _minimumScore = minimumScore;
    }

    public override string Name => "judge";

    public override async ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prompt = new StringBuilder()
            .AppendLine("Grade the answer to the request below against the rubric. Reply with 'Score: N' (N from 0 to 10) on the first line, then one sentence why.")
            .AppendLine().AppendLine("Rubric:").AppendLine(_rubric)
            .AppendLine().AppendLine("Request:").AppendLine(LastUserText(context))
            .AppendLine().AppendLine("Answer:").AppendLine(context.Response.Text)
            .ToString();

        var verdict = await context.CallAsync(_judge, [new ChatMessage(ChatRole.User, prompt)], new ChatOptions { Temperature = 0 }, cancellationToken)
            .ConfigureAwait(false);
        var match = ScorePattern().Match(verdict.Text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
        {
            return AcceptanceVerdict.Reject(Name, "the judge gave no score");
        }

        score = Math.Clamp(score, 0, 10);
        return score >= _minimumScore
            ? AcceptanceVerdict.Accept(score / 10)
            : AcceptanceVerdict.Reject(Name, string.Format(CultureInfo.InvariantCulture, "the judge scored {0:0.#}/10, {1:0.#} needed", score, _minimumScore), score / 10);
    }

    private static string LastUserText(AcceptanceContext context) =>
        context.Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;

    [GeneratedRegex(@"score\s*[:=]?\s*(\d+(?:\.\d+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScorePattern();
}
