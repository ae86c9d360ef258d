using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace TokenLint.CascadeReplay.GradeSchoolMath;

/// <summary>What a worked grade-school-math answer states: its final answers, its arithmetic, its numbers.</summary>
internal static partial class WorkedAnswer
{
    /// <summary>The final answers it states: "#### 42" lines, else "the answer is 42".</summary>
    public static IReadOnlyList<double> FinalAnswers(string answer)
    {
        var finals = FinalLine().Matches(answer).Select(m => FirstNumber(m.Groups[1].Value)).OfType<double>().ToList();
        if (finals.Count == 0)
        {
            finals.AddRange(AnswerIsPhrase().Matches(answer).Select(m => Arithmetic.Number(m.Groups[1].Value)).OfType<double>());
        }

        return finals;
    }

    /// <summary>Each arithmetic statement that does not hold, as written: "&lt;&lt;a*b=c&gt;&gt;" annotations and inline "a x b = c".</summary>
    public static IEnumerable<string> WrongArithmetic(string answer)
    {
        foreach (Match m in Annotation().Matches(answer))
        {
            double? computed = Arithmetic.Evaluate(m.Groups[1].ValueSpan);
            double? stated = Arithmetic.Number(m.Groups[2].ValueSpan);
            if (computed is not double c || stated is not double s
                || (!Arithmetic.Matches(c, s) && !(m.Value.Contains('%') && (Arithmetic.Matches(c * 100, s) || Arithmetic.Matches(c / 100, s)))))
            {
                yield return m.Value;
            }
        }

        string prose = Annotation().Replace(answer, " ");
        foreach (Match m in InlineStatement().Matches(prose))
        {
            if (Arithmetic.Evaluate(m.Groups[1].ValueSpan) is double c && Arithmetic.Number(m.Groups[2].ValueSpan) is double s
                && !Arithmetic.Matches(c, s) && !(m.Value.Contains('%') && (Arithmetic.Matches(c * 100, s) || Arithmetic.Matches(c / 100, s))))
            {
                yield return m.Value.Trim();
            }
        }
    }

    /// <summary>The answer stops mid-calculation: an annotation left open, or an operator or "=" at the very end.</summary>
    public static bool IsCutOff(string answer)
    {
        int open = answer.LastIndexOf("<<", StringComparison.Ordinal);
        if (open >= 0 && answer.IndexOf(">>", open, StringComparison.Ordinal) < 0)
        {
            return true;
        }

        string end = answer.TrimEnd();
        return end.Length == 0 || end[^1] is '=' or '+' or '*' or '/' or '-' or '(' or ',';
    }

    /// <summary>Every number written in <paramref name="text"/> in digits, clock times left out.</summary>
    public static HashSet<double> Numbers(string text) =>
        NumberToken().Matches(ClockTime().Replace(text, " ")).Select(m => Arithmetic.Number(m.Value.Replace(" ", "", StringComparison.Ordinal))).OfType<double>().ToHashSet();


    public static string? Hedge(string answer) => HedgeWords().Match(answer) is { Success: true } m ? m.Value : null;

    private static double? FirstNumber(string text) => NumberToken().Match(text) is { Success: true } m ? Arithmetic.Number(m.Value) : null;

    [GeneratedRegex(@"^\s*####\s*(.*)$", RegexOptions.Multiline)]
    private static partial Regex FinalLine();

    [GeneratedRegex(@"\b(?:the (?:final )?answer is|answer:)\s*\$?(-?\d[\d,]*(?:\.\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerIsPhrase();

    [GeneratedRegex(@"<<([^=<>]*)=([^<>]*)>>")]
    private static partial Regex Annotation();

    // Operands joined by an operator, "=", then a number: "3 x 60 = 180", "$40 + $24 = $64", "(12 / 20) x 100 = 55%".
    [GeneratedRegex(@"((?:\(?\$?\d[\d,]*(?:\.\d+)?%?\)?\s*(?:[-+*x×/÷]|\\\*)\s*)+\(?\$?\d[\d,]*(?:\.\d+)?%?\)?)\s*=\s*\$?(-?\d[\d,]*(?:\.\d+)?)(?!\d|\.\d|\s*(?:[-+*x×/÷]|\\\*)\s*\(?\$?\d)")]
    private static partial Regex InlineStatement();

    // "1,250", "400 000" (thousands in groups of three), "2.5", ".75".
    [GeneratedRegex(@"(?:\d{1,3}(?: \d{3})+(?![\d])|\d[\d,]*(?:\.\d+)?|\.\d+)")]
    private static partial Regex NumberToken();

    [GeneratedRegex(@"\b\d{1,2}:\d\d\b")]
    private static partial Regex ClockTime();

    // Doubt, approximation and self-correction: an answer that says it is unsure or rounds is often wrong.
    [GeneratedRegex(@"\b(?:wait|approximately|assum\w*|however|but since|round(?:ed|ing)? (?:down|up)|not possible|cannot be|can't be|doesn't make sense|mistake|actually|nearest|whole number)\b|≈|\babout \d", RegexOptions.IgnoreCase)]
    private static partial Regex HedgeWords();
}
