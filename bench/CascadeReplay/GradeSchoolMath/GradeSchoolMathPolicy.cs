using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Cascade;

namespace TokenLint.CascadeReplay.GradeSchoolMath;

/// <summary>
/// When a worked grade-school-math answer can be returned without asking the stronger model. Five checks on the answer
/// itself, each one a reason a person marking it would look twice; none reads a label or fits a row.
/// </summary>
internal static class GradeSchoolMathPolicy
{
    /// <summary>The checks, in the order a rejection reports them.</summary>
    public static IReadOnlyList<AcceptanceCheck> Checks { get; } =
    [
        AcceptanceCheck.TextValidator(text => WorkedAnswer.IsCutOff(text) ? "the answer stops mid-calculation" : null, "not_cut_off"),
        AcceptanceCheck.TextValidator(FinalAnswerReason, "final_answer"),
        AcceptanceCheck.TextValidator(text => WorkedAnswer.WrongArithmetic(text).FirstOrDefault() is { } wrong ? $"'{wrong}' does not hold" : null, "arithmetic"),
        AcceptanceCheck.TextValidator(text => WorkedAnswer.Hedge(text) is { } hedge ? $"the answer hedges ('{hedge}')" : null, "no_hedging"),
        AcceptanceCheck.Validator(UnusedNumberReason, "uses_every_given"),
    ];

    /// <summary>
    /// Every check must pass at 1 (the default); below 1, the share of checks that must pass, so a lower threshold
    /// escalates less and trusts more.
    /// </summary>
    public static AcceptanceCheck Create(double threshold = 1.0) =>
        threshold >= 1.0 ? AcceptanceCheck.All([.. Checks]) : AcceptanceCheck.Scored(threshold, [.. Checks.Select(c => (c, 1.0))]);

    /// <summary>One final answer, a whole number: the problems count things and whole dollars.</summary>
    private static string? FinalAnswerReason(string text)
    {
        var finals = WorkedAnswer.FinalAnswers(text);
        if (finals.Count == 0)
        {
            return "no final answer";
        }

        if (finals.Distinct().Count() > 1)
        {
            return "two different final answers";
        }

        return finals[0] == Math.Round(finals[0])
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"the final answer {finals[0]} is not a whole number");
    }

    /// <summary>A number the question gives that the answer never writes was left out of the reasoning.</summary>
    private static string? UnusedNumberReason(AcceptanceContext context)
    {
        string question = context.Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var written = WorkedAnswer.Numbers(context.Response.Text);
        foreach (double given in WorkedAnswer.Numbers(question))
        {
            // 1 multiplies without being written. A percentage may be written as a fraction (20% as 0.2), and a
            // change by a percentage as its multiplier (30% less as 0.7, 25% more as 1.25).
            if (given != 1 && !written.Contains(given) && !written.Contains(given / 100) && !written.Contains(given * 100)
                && !written.Contains((100 - given) / 100) && !written.Contains((100 + given) / 100) && !written.Contains(100 - given))
            {
                return string.Create(CultureInfo.InvariantCulture, $"the question's {given} is not in the answer");
            }
        }

        return null;
    }
}
