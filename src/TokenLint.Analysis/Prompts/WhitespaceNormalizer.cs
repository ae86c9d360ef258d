using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// Removes the whitespace a prompt pays for without meaning: trailing spaces, runs of blank lines, and the
/// indentation every line shares (source-code indentation carried into a verbatim or regular string). Relative
/// indentation (nested lists) is kept, and fenced code blocks (```) are left exactly as written. No other
/// character changes.
/// </summary>
public static class WhitespaceNormalizer
{
    /// <summary>
    /// The indentation (in spaces and tabs) that every non-blank line outside a fence shares, and how many such
    /// lines there are: source indentation carried into the string, paid for on every line.
    /// </summary>
    public static (int Columns, int Lines) SharedIndentation(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var fenced = FencedLines(lines);
        var indented = IndentedLines(lines, fenced).ToList();
        return (indented.DefaultIfEmpty(0).Min(), indented.Count);
    }

    public static string Normalize(string text)
    {
        string newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var fenced = FencedLines(lines);
        int shared = IndentedLines(lines, fenced).DefaultIfEmpty(0).Min();

        var result = new List<string>(lines.Length);
        bool previousBlank = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (fenced[i])
            {
                result.Add(lines[i]);
                previousBlank = false;
                continue;
            }

            string line = lines[i].TrimEnd(' ', '\t');
            if (line.Length == 0)
            {
                // One blank line keeps paragraphs apart; more say nothing.
                if (!previousBlank)
                {
                    result.Add(line);
                }

                previousBlank = true;
                continue;
            }

            result.Add(line.Substring(Math.Min(shared, Indentation(line))));
            previousBlank = false;
        }

        return string.Join(newline, result);
    }

    private static IEnumerable<int> IndentedLines(string[] lines, bool[] fenced) =>
        lines.Where((line, i) => !fenced[i] && line.Trim().Length > 0).Select(Indentation);

    private static int Indentation(string line)
    {
        int count = 0;
        while (count < line.Length && (line[count] == ' ' || line[count] == '\t'))
        {
            count++;
        }

        return count;
    }

    /// <summary>Lines inside a ``` fence, fences included: their whitespace may carry meaning (code, tables).</summary>
    private static bool[] FencedLines(string[] lines)
    {
        var fenced = new bool[lines.Length];
        bool inside = false;
        for (int i = 0; i < lines.Length; i++)
        {
            bool fence = lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal);
            fenced[i] = inside || fence;
            if (fence)
            {
                inside = !inside;
            }
        }

        return fenced;
    }
}
