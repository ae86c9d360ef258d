using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using TokenLint.Analysis.Configuration;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Cli.Diff;

/// <summary>One prompt's size in two baselines, and what the change costs per 1,000 calls at its model's input price.</summary>
/// <param name="Before">Tokens in the old baseline; null for a prompt that is new.</param>
/// <param name="After">Tokens in the new baseline; null for a prompt that is gone.</param>
/// <param name="Model">The model it is priced at: the new baseline's, else the old one's, else <c>--model</c>.</param>
/// <param name="UsdPer1000Calls">The change in dollars per 1,000 calls; null when the model has no price.</param>
internal sealed record PromptSizeChange(string Key, int? Before, int? After, string? Model, decimal? UsdPer1000Calls)
{
    /// <summary>The change in per cent of the old size; null for a new or removed prompt.</summary>
    public double? ChangePercent => Before is int b && After is int a ? (b == 0 ? (a == 0 ? 0 : 100) : (a - b) * 100.0 / b) : null;
}

/// <summary><c>tokenlint diff</c>: the prompts whose size changed between two <c>tokenlint.baseline.json</c> files.</summary>
internal static class BaselineDiff
{
    public static IReadOnlyList<PromptSizeChange> Compare(PromptBaseline before, PromptBaseline after, string? defaultModel, ModelPriceCatalog prices)
    {
        var changes = new List<PromptSizeChange>();
        foreach (string key in before.Entries.Keys.Union(after.Entries.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            before.Entries.TryGetValue(key, out var old);
            after.Entries.TryGetValue(key, out var now);
            if (old is not null && now is not null && old.Count == now.Count)
            {
                continue;
            }

            string? model = now?.Model ?? old?.Model ?? defaultModel;
            long delta = (now?.Count ?? 0) - (old?.Count ?? 0);
            decimal? dollars = model is not null && prices.TryGetPrice(model, out var price) ? delta * price.Input / 1_000_000m * 1_000m : null;
            changes.Add(new PromptSizeChange(key, old?.Count, now?.Count, model, dollars));
        }

        return changes;
    }

    /// <summary>The prompts that grew by more than <paramref name="percent"/> of their old size (new prompts do not count).</summary>
    public static IReadOnlyList<PromptSizeChange> GrewAbove(IEnumerable<PromptSizeChange> changes, double percent) =>
        changes.Where(c => c.ChangePercent is double p && p > percent).ToArray();

    /// <summary>A Markdown comment for a pull request.</summary>
    public static string ToMarkdown(IReadOnlyList<PromptSizeChange> changes, int unchanged, double? failAbove)
    {
        var text = new StringBuilder();
        text.AppendLine("### TokenLint: prompt sizes");
        text.AppendLine();
        if (changes.Count == 0)
        {
            text.AppendLine(Invariant($"No prompt changed size ({unchanged:#,0} compared)."));
            return text.ToString();
        }

        text.AppendLine("| prompt | model | tokens before | tokens after | change | $ per 1,000 calls |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var change in changes)
        {
            text.Append("| `").Append(change.Key.Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)).Append("` | ")
                .Append(change.Model is null ? "unknown" : Cell(change.Model)).Append(" | ")
                .Append(change.Before is int b ? Invariant($"{b:#,0}") : "new").Append(" | ")
                .Append(change.After is int a ? Invariant($"{a:#,0}") : "removed").Append(" | ")
                .Append(change.ChangePercent is double p ? Invariant($"{(p >= 0 ? "+" : "")}{p:0.0}%") : "").Append(" | ")
                .Append(change.UsdPer1000Calls is decimal d ? Invariant($"{(d >= 0 ? "+" : "-")}${Math.Abs(d):#,0.00##}") : "no price").AppendLine(" |");
        }

        text.AppendLine();
        decimal total = changes.Sum(c => c.UsdPer1000Calls ?? 0m);
        text.Append(Invariant($"{changes.Count:#,0} prompt(s) changed, {unchanged:#,0} unchanged; together {(total >= 0 ? "+" : "-")}${Math.Abs(total):#,0.00##} per 1,000 calls of each at the input price"));
        if (changes.Any(c => c.UsdPer1000Calls is null))
        {
            text.Append(" (prompts without a known model are not priced: pass --model)");
        }

        text.AppendLine(".");
        if (failAbove is double limit && GrewAbove(changes, limit) is { Count: > 0 } grew)
        {
            text.AppendLine();
            text.AppendLine(Invariant($"**{grew.Count} prompt(s) grew by more than {limit:0.##}%:** ") + string.Join(", ", grew.Select(c => "`" + c.Key + "`")));
        }

        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
