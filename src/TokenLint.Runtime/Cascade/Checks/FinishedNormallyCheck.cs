using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// The answer ended on its own (finish reason stop, or none reported), has text, and does not open with a refusal.
/// A length cut, a content filter, or a tool call left unanswered are not answers to return.
/// </summary>
internal sealed class FinishedNormallyCheck : AcceptanceCheck
{
    /// <summary>Openings of common refusals; matched, ignoring case, against the start of the answer only.</summary>
    internal static readonly string[] DefaultRefusalPatterns =
    [
        "I'm sorry, but I can",
        "I am sorry, but I can",
        "I'm sorry, I can",
        "I can't help with",
        "I cannot help with",
        "I can't assist with",
        "I cannot assist with",
        "I'm unable to",
        "I am unable to",
        "As an AI",
    ];

    private readonly string[] _refusals;

    public FinishedNormallyCheck(IEnumerable<string>? refusalPatterns)
    {
        _refusals = refusalPatterns?.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray() ?? DefaultRefusalPatterns;
    }

    public override string Name => "finished_normally";

    public override ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (response.FinishReason is { } finish && finish != ChatFinishReason.Stop)
        {
            return new(AcceptanceVerdict.Reject(Name, $"finish reason '{finish.Value}', not 'stop'"));
        }

        string text = response.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(AcceptanceVerdict.Reject(Name, "the answer has no text"));
        }

        var opening = text.AsSpan().TrimStart();
        foreach (var pattern in _refusals)
        {
            if (opening.StartsWith(pattern, StringComparison.OrdinalIgnoreCase))
            {
                return new(AcceptanceVerdict.Reject(Name, $"the answer is a refusal ('{pattern}...')"));
            }
        }

        return new(AcceptanceVerdict.Accept());
    }
}
