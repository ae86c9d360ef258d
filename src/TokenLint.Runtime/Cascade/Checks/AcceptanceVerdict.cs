using System;

namespace TokenLint.Runtime.Cascade;

/// <summary>A check's decision on one answer: accepted or not, a score in [0, 1], and why it rejected.</summary>
public sealed class AcceptanceVerdict
{
    private static readonly AcceptanceVerdict s_accepted = new(true, 1.0, null, null);

    private AcceptanceVerdict(bool accepted, double score, string? check, string? reason)
    {
        Accepted = accepted;
        Score = score;
        Check = check;
        Reason = reason;
    }

    public bool Accepted { get; }

    /// <summary>How well the answer did, 0 to 1: 1 or 0 for a yes/no check, a fraction for a graded one (a judge, a vote).</summary>
    public double Score { get; }

    /// <summary>The name of the check that rejected (a bounded value, used as a metric tag); null when accepted.</summary>
    public string? Check { get; }

    /// <summary>Why the answer was rejected, in words; null when accepted.</summary>
    public string? Reason { get; }

    public static AcceptanceVerdict Accept() => s_accepted;

    /// <summary>Accepted with a graded score.</summary>
    public static AcceptanceVerdict Accept(double score) => score >= 1.0 ? s_accepted : new(true, Clamp(score), null, null);

    /// <param name="check">The rejecting check's name, e.g. <see cref="AcceptanceCheck.Name"/>.</param>
    /// <param name="reason">Why, for a person reading the response or the log.</param>
    /// <param name="score">How close the answer came, 0 to 1.</param>
    public static AcceptanceVerdict Reject(string check, string reason, double score = 0.0)
    {
        ArgumentException.ThrowIfNullOrEmpty(check);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(false, Clamp(score), check, reason);
    }

    public override string ToString() => Accepted ? $"accepted ({Score:0.##})" : $"rejected by {Check}: {Reason}";

    private static double Clamp(double score) => double.IsNaN(score) ? 0 : Math.Clamp(score, 0, 1);
}
