using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace TokenLint.Cli.Output;

/// <summary>
/// Bar and line charts as inline SVG, drawn when the report is written: the HTML needs no script, no network and no
/// font beyond the browser's own. Every label is HTML-escaped.
/// </summary>
internal static class SvgChart
{
    private const int Width = 720;
    private const int Height = 240;
    private const int Left = 64;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 40;

    /// <summary>Colours for series, in order; the last is for "other".</summary>
    public static readonly string[] Palette = { "#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#6b7280" };

    /// <summary>One bar per label, each split into stacked series values.</summary>
    public static string StackedBars(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<(string Name, double[] Values)> series,
        Func<double, string> formatValue, IReadOnlyList<bool>? highlighted = null, bool counts = false)
    {
        double max = Enumerable.Range(0, labels.Count).Select(i => series.Sum(s => s.Values[i])).DefaultIfEmpty(0).Max();
        double top = counts ? CountCeiling(max) : NiceCeiling(max);
        var svg = Start(id, title);
        Axes(svg, top, formatValue);
        double slot = (double)(Width - Left - Right) / Math.Max(1, labels.Count);
        double barWidth = Math.Max(2, slot * 0.7);
        for (int i = 0; i < labels.Count; i++)
        {
            double x = Left + i * slot + (slot - barWidth) / 2;
            double y = Height - Bottom;
            for (int s = 0; s < series.Count; s++)
            {
                double value = series[s].Values[i];
                if (value <= 0)
                {
                    continue;
                }

                double h = value / top * (Height - Top - Bottom);
                y -= h;
                svg.Append(Invariant($"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barWidth:0.#}\" height=\"{h:0.#}\" fill=\"{Palette[Math.Min(s, Palette.Length - 1)]}\""));
                svg.Append(highlighted is not null && !highlighted[i] ? " fill-opacity=\"0.45\"" : "");
                svg.Append("><title>").Append(Escape($"{labels[i]} {series[s].Name}: {formatValue(value)}")).Append("</title></rect>");
            }
        }

        XLabels(svg, labels, slot);
        svg.Append("</svg>");
        if (series.Count > 1)
        {
            Legend(svg, series.Select(s => s.Name).ToArray());
        }

        return svg.ToString();
    }

    /// <summary>A line through one value per label; labels without a value (null) break the line.</summary>
    public static string Line(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<double?> values, Func<double, string> formatValue, double? fixedTop = null)
    {
        double max = values.Where(v => v.HasValue).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        double top = fixedTop ?? NiceCeiling(max);
        var svg = Start(id, title);
        Axes(svg, top, formatValue);
        double slot = (double)(Width - Left - Right) / Math.Max(1, labels.Count);
        var path = new StringBuilder();
        bool open = false;
        for (int i = 0; i < labels.Count; i++)
        {
            if (values[i] is not double value)
            {
                open = false;
                continue;
            }

            double x = Left + i * slot + slot / 2;
            double y = Height - Bottom - value / top * (Height - Top - Bottom);
            path.Append(Invariant($"{(open ? "L" : "M")}{x:0.#},{y:0.#} "));
            open = true;
            svg.Append(Invariant($"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"3\" fill=\"{Palette[0]}\"><title>"))
                .Append(Escape($"{labels[i]}: {formatValue(value)}")).Append("</title></circle>");
        }

        if (path.Length > 0)
        {
            svg.Append($"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{Palette[0]}\" stroke-width=\"2\"/>");
        }

        XLabels(svg, labels, slot);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 x 10^n at or above the value (1 for nothing), so axis labels are round.</summary>
    public static double NiceCeiling(double value)
    {
        if (value <= 0 || double.IsNaN(value))
        {
            return 1;
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    /// <summary>A nice ceiling that is a multiple of 4, so the four grid lines of a count axis fall on whole numbers.</summary>
    public static double CountCeiling(double value) => Math.Max(4, Math.Ceiling(NiceCeiling(value) / 4) * 4);

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static StringBuilder Start(string id, string title) =>
        new StringBuilder()
            .Append(Invariant($"<svg id=\"{Escape(id)}\" class=\"chart\" role=\"img\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\">"))
            .Append("<title>").Append(Escape(title)).Append("</title>");

    private static void Axes(StringBuilder svg, double top, Func<double, string> formatValue)
    {
        for (int i = 0; i <= 4; i++)
        {
            double value = top * i / 4;
            double y = Height - Bottom - (Height - Top - Bottom) * i / 4.0;
            svg.Append(Invariant($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e5e7eb\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#374151\">"))
                .Append(Escape(formatValue(value))).Append("</text>");
        }
    }

    private static void XLabels(StringBuilder svg, IReadOnlyList<string> labels, double slot)
    {
        int every = Math.Max(1, (int)Math.Ceiling(labels.Count / 10.0));
        for (int i = 0; i < labels.Count; i += every)
        {
            double x = Left + i * slot + slot / 2;
            svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#374151\">"))
                .Append(Escape(labels[i])).Append("</text>");
        }
    }

    private static void Legend(StringBuilder html, IReadOnlyList<string> names)
    {
        html.Append("<ul class=\"legend\">");
        for (int i = 0; i < names.Count; i++)
        {
            html.Append($"<li><span style=\"background:{Palette[Math.Min(i, Palette.Length - 1)]}\"></span>").Append(Escape(names[i])).Append("</li>");
        }

        html.Append("</ul>");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
