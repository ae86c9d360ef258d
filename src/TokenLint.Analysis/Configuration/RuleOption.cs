using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TokenLint.Analysis.Configuration;

/// <summary>What kind of value an option takes.</summary>
public enum RuleOptionKind
{
    WholeNumber,
    Boolean,
    List,
}

/// <summary>
/// One <c>.editorconfig</c> option of a rule. Keys are lower case (Roslyn lower-cases them):
/// <c>tokenlint.tl1001.max_output_tokens</c> for one rule, or <c>tokenlint.max_output_tokens</c> for every rule
/// that reads that option. The rule-specific key wins. An invalid value falls back to the default and is
/// reported by TL9001.
/// </summary>
public sealed class RuleOption
{
    public const string Prefix = "tokenlint.";

    private RuleOption(string ruleId, string name, RuleOptionKind kind, string defaultValue, long minimum, long maximum, string description)
    {
        RuleId = ruleId;
        Name = name;
        Kind = kind;
        DefaultValue = defaultValue;
        Minimum = minimum;
        Maximum = maximum;
        Description = description;
        RuleKey = Prefix + ruleId.ToLowerInvariant() + "." + name;
        SharedKey = Prefix + name;
    }

    public string RuleId { get; }

    public string Name { get; }

    public RuleOptionKind Kind { get; }

    public string DefaultValue { get; }

    public long Minimum { get; }

    public long Maximum { get; }

    public string Description { get; }

    /// <summary><c>tokenlint.tl1001.max_output_tokens</c></summary>
    public string RuleKey { get; }

    /// <summary><c>tokenlint.max_output_tokens</c></summary>
    public string SharedKey { get; }

    public static RuleOption WholeNumber(string ruleId, string name, long defaultValue, long minimum, long maximum, string description) =>
        new(ruleId, name, RuleOptionKind.WholeNumber, defaultValue.ToString(CultureInfo.InvariantCulture), minimum, maximum, description);

    public static RuleOption Boolean(string ruleId, string name, bool defaultValue, string description) =>
        new(ruleId, name, RuleOptionKind.Boolean, defaultValue ? "true" : "false", 0, 0, description);

    public static RuleOption List(string ruleId, string name, string description) =>
        new(ruleId, name, RuleOptionKind.List, "", 0, 0, description);

    /// <summary>The raw value and the key it came from, rule key first.</summary>
    public bool TryGetRaw(AnalyzerConfigOptions options, out string key, out string value) =>
        TryGetRaw(options, RuleKey, out key, out value) || TryGetRaw(options, SharedKey, out key, out value);

    // Rules read options in callbacks that run for every call: no array of candidate keys per read.
    private static bool TryGetRaw(AnalyzerConfigOptions options, string candidate, out string key, out string value)
    {
        if (options.TryGetValue(candidate, out var raw))
        {
            key = candidate;
            value = raw.Trim();
            return true;
        }

        key = "";
        value = "";
        return false;
    }

    public long GetWholeNumber(AnalyzerConfigOptions options) =>
        TryGetRaw(options, out _, out var raw) && TryParseWholeNumber(raw, out long value) ? value : long.Parse(DefaultValue, CultureInfo.InvariantCulture);

    public bool GetBoolean(AnalyzerConfigOptions options) =>
        TryGetRaw(options, out _, out var raw) && bool.TryParse(raw, out bool value) ? value : DefaultValue == "true";

    /// <summary>A comma-separated list; empty entries are dropped.</summary>
    public IReadOnlyList<string> GetList(AnalyzerConfigOptions options) =>
        TryGetRaw(options, out _, out var raw) ? SplitList(raw) : Array.Empty<string>();

    /// <summary>Null for a valid value, else what was expected.</summary>
    public string? Validate(string raw) => Kind switch
    {
        RuleOptionKind.WholeNumber => TryParseWholeNumber(raw, out _) ? null : $"expected a whole number from {Minimum} to {Maximum}",
        RuleOptionKind.Boolean => bool.TryParse(raw, out _) ? null : "expected true or false",
        _ => null,
    };

    private bool TryParseWholeNumber(string raw, out long value) =>
        long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= Minimum && value <= Maximum;

    private static IReadOnlyList<string> SplitList(string raw) =>
        raw.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
}
