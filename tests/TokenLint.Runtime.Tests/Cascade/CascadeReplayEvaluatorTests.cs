using System;
using System.Linq;
using System.Threading.Tasks;
using TokenLint.Runtime.Cascade;

namespace TokenLint.Runtime.Tests.Cascade;

/// <summary>
/// A four-row table computed by hand. Tokens are words; cheap costs $1/$2 and strong $10/$30 per million input/output
/// tokens. The policy accepts an answer that says "good".
///
/// | row | prompt | cheap answer | strong answer | correct | cheap cost | strong cost | cascade pays | answered by |
/// | 0   | 2      | "good 1"  (2)| 3             | T, T    | 2+4 = 6    | 20+90 = 110 | 6            | cheap (T)   |
/// | 1   | 3      | "bad"     (1)| 2             | F, T    | 3+2 = 5    | 30+60 = 90  | 95           | strong (T)  |
/// | 2   | 1      | "good 2 3"(3)| 1             | F, T    | 1+6 = 7    | 10+30 = 40  | 7            | cheap (F)   |
/// | 3   | 4      | "bad 2"   (2)| 4             | T, F    | 4+4 = 8    | 40+120 = 160| 168          | strong (F)  |
///
/// Cascade: $276 per million rows' worth against $400 strong-only: saving 0.31; accuracy 2/4 against strong's 3/4:
/// quality 0.6667; escalated 2/4.
/// </summary>
public class CascadeReplayEvaluatorTests
{
    private static readonly CascadeReplayRow[] s_rows =
    [
        new("a b", ["good 1", "x y z"], [true, true]),
        new("a b c", ["bad", "s t"], [false, true]),
        new("a", ["good 2 3", "u"], [false, true]),
        new("a b c d", ["bad 2", "v w x y"], [true, false]),
    ];

    private static readonly AcceptanceCheck s_saysGood = AcceptanceCheck.TextValidator(text => text.StartsWith("good", StringComparison.Ordinal) ? null : "not good", "says_good");

    private static CascadeReplayEvaluator Evaluator() =>
        new([new CascadeReplayTier("cheap", 1m, 2m), new CascadeReplayTier("strong", 10m, 30m)], text => text.Split(' ').Length);

    [Fact]
    public async Task Report_MatchesTheHandComputedTable()
    {
        var report = await Evaluator().EvaluateAsync(s_rows, s_saysGood);

        Assert.Equal([0, 1, 0, 1], report.AnsweringTier);
        Assert.Equal(276m / 1_000_000m, report.Cost);
        Assert.Equal(400m / 1_000_000m, report.LastTierOnlyCost);
        Assert.Equal(0.31, report.Saving, 10);
        Assert.Equal(0.5, report.EscalationRate);
        Assert.Equal(0.5, report.Accuracy);
        Assert.Equal(0.75, report.LastTierOnlyAccuracy);
        Assert.Equal(2.0 / 3, report.Quality!.Value, 10);
    }

    [Fact]
    public async Task WithoutLabels_CostAndEscalationAreReported_AccuracyIsNot()
    {
        var unlabelled = s_rows.Select(r => r with { Correct = null }).ToArray();

        var report = await Evaluator().EvaluateAsync(unlabelled, s_saysGood);

        Assert.Equal([0, 1, 0, 1], report.AnsweringTier);
        Assert.Equal(276m / 1_000_000m, report.Cost);
        Assert.Null(report.Accuracy);
        Assert.Null(report.Quality);
    }

    [Fact]
    public async Task Frontier_KeepsTheThresholdsNoOtherBeatsOnCostAndAccuracy()
    {
        // 0 accepts every cheap answer ($26, 2/4 right), 0.5 is the "good" policy ($276, 2/4), 1 escalates every row ($426, 3/4).
        static AcceptanceCheck PolicyAt(double threshold) => threshold switch
        {
            0 => AcceptanceCheck.TextValidator(_ => null),
            1 => AcceptanceCheck.TextValidator(_ => "never"),
            _ => s_saysGood,
        };

        var points = await Evaluator().FrontierAsync(s_rows, PolicyAt, [0, 0.5, 1]);

        Assert.Equal([26m / 1_000_000m, 276m / 1_000_000m, 426m / 1_000_000m], points.Select(p => p.Report.Cost));
        Assert.Equal([0.5, 0.5, 0.75], points.Select(p => p.Report.Accuracy!.Value));
        Assert.Equal([true, false, true], points.Select(p => p.OnFrontier));
    }

    [Fact]
    public async Task RowsThatDoNotFitTheTiers_AreRefusedWithTheirIndex()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Evaluator().EvaluateAsync([s_rows[0], new CascadeReplayRow("p", ["only one"])], s_saysGood));
        Assert.Contains("Row 1 has 1 answers for 2 tiers", error.Message);
    }
}
