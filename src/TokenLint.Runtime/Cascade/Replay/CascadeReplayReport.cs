using System.Collections.Generic;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// What a policy did on recorded rows: which tier answered each row, what the cascade paid against asking the last
/// tier alone, and, when the rows carry labels, its accuracy against the last tier's.
/// </summary>
public sealed record CascadeReplayReport
{
    public int Rows { get; init; }

    /// <summary>The tier whose answer was returned, per row (0 = cheapest).</summary>
    public required IReadOnlyList<int> AnsweringTier { get; init; }

    /// <summary>Why the first tier's answer was not returned, per row ("check: reason"); null where it was.</summary>
    public required IReadOnlyList<string?> Rejections { get; init; }

    /// <summary>Share of rows the first tier did not answer.</summary>
    public double EscalationRate { get; init; }

    /// <summary>Dollars the cascade paid: every tier it asked, on every row.</summary>
    public decimal Cost { get; init; }

    /// <summary>Dollars of asking only the last tier on every row.</summary>
    public decimal LastTierOnlyCost { get; init; }

    /// <summary>1 - <see cref="Cost"/> / <see cref="LastTierOnlyCost"/>.</summary>
    public double Saving { get; init; }

    /// <summary>Share of rows whose returned answer is correct; null without labels.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Share of rows the last tier answers correctly; null without labels.</summary>
    public double? LastTierOnlyAccuracy { get; init; }

    /// <summary><see cref="Accuracy"/> / <see cref="LastTierOnlyAccuracy"/>: the share of the strong model's quality kept.</summary>
    public double? Quality { get; init; }
}

/// <summary>A policy's result at one threshold; <see cref="OnFrontier"/> when no other threshold is both cheaper and at least as accurate.</summary>
public sealed record CascadeReplayPoint(double Threshold, CascadeReplayReport Report, bool OnFrontier);
