using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TokenLint.Analysis.Configuration;

namespace TokenLint.Analyzers.Tests;

/// <summary>
/// Files written by hand and keyed by rule id agree with the descriptors: the README's rule table, the package's
/// preset global configs, the release tracking and <see cref="RuleOptions.All"/>. A rule added to the descriptors
/// without its row, line or entry fails here.
/// </summary>
public sealed class RuleKeyedFilesTests
{
    private static string Shipped(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, name)).Replace("\r\n", "\n");

    [Fact]
    public void ReadmeRuleTable_HasOneRowPerRuleMatchingItsDescriptors()
    {
        var rows = Regex.Matches(Shipped("README.md"), @"^\| \[(TL\d{4})\]\(docs/rules/(TL\d{4})\.md\) \| (.+?) \| (\w+) \| (\w+) \| (yes|no) \| (yes|no) \|$", RegexOptions.Multiline)
            .Select(m => m.Groups.Cast<Group>().Skip(1).Select(g => g.Value).ToArray())
            .ToList();

        Assert.Equal(ExportedRules.DescriptorsById.Keys, rows.Select(r => r[0]));
        foreach (var row in rows)
        {
            string id = row[0];
            var descriptor = ExportedRules.Descriptor(id);
            Assert.Equal(id, row[1]);
            Assert.Equal(descriptor.Title.ToString(), row[2]);
            Assert.Equal(descriptor.Category, row[3]);
            Assert.Equal(descriptor.DefaultSeverity.ToString(), row[4]);
            Assert.True((row[5] == "yes") == ExportedRules.FixableIds.Contains(id), $"README says code fix '{row[5]}' for {id}");
            Assert.True((row[6] == "yes") == ExportedRules.IdsWithOptions.Contains(id), $"README says options '{row[6]}' for {id}");
        }
    }

    /// <summary>The default preset sets each rule to its shipped severity.</summary>
    [Fact]
    public void DefaultPreset_SetsEveryRuleToItsDefaultSeverity() =>
        Assert.Equal(
            ExportedRules.DescriptorsById.ToDictionary(r => r.Key, r => EditorConfigSeverity(r.Value[0].DefaultSeverity)),
            Severities("TokenLint.Default.globalconfig"));

    /// <summary>The strict preset makes every warning an error; the informational rules (TL9002, TL9003) stay suggestions.</summary>
    [Fact]
    public void StrictPreset_MakesEveryWarningAnError() =>
        Assert.Equal(
            ExportedRules.DescriptorsById.ToDictionary(r => r.Key, r => r.Value[0].DefaultSeverity == DiagnosticSeverity.Warning ? "error" : EditorConfigSeverity(r.Value[0].DefaultSeverity)),
            Severities("TokenLint.Strict.globalconfig"));

    [Fact]
    public void ReleaseTracking_HasOneRowPerRuleWithItsCategoryAndSeverity()
    {
        var rows = Regex.Matches(Shipped("AnalyzerReleases.Shipped.md") + Shipped("AnalyzerReleases.Unshipped.md"), @"^(TL\d{4}) *\| *(\w+) *\| *(\w+) *\|", RegexOptions.Multiline)
            .Select(m => (Id: m.Groups[1].Value, Category: m.Groups[2].Value, Severity: m.Groups[3].Value))
            .ToList();

        Assert.Equal(ExportedRules.DescriptorsById.Keys, rows.Select(r => r.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(rows, row =>
        {
            Assert.Equal(ExportedRules.Descriptor(row.Id).Category, row.Category);
            Assert.Equal(ExportedRules.Descriptor(row.Id).DefaultSeverity.ToString(), row.Severity);
        });
    }

    [Fact]
    public void RuleOptionsAll_HoldsEveryOptionOnceAndEachBelongsToARule()
    {
        var declared = typeof(RuleOptions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(RuleOption))
            .Select(f => (RuleOption)f.GetValue(null)!)
            .ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared.Count, RuleOptions.All.Distinct().Count());
        Assert.Equal(RuleOptions.All.Count, RuleOptions.All.Distinct().Count());
        Assert.All(declared, option => Assert.Contains(option, RuleOptions.All));
        Assert.All(RuleOptions.All, option => Assert.True(ExportedRules.DescriptorsById.ContainsKey(option.RuleId), $"{option.RuleKey} belongs to no rule"));
    }

    /// <summary><c>dotnet_diagnostic.TLxxxx.severity = value</c> lines of a preset, each id once.</summary>
    private static Dictionary<string, string> Severities(string preset)
    {
        var lines = Regex.Matches(Shipped(preset), @"^dotnet_diagnostic\.(TL\d{4})\.severity *= *(\w+) *$", RegexOptions.Multiline)
            .Select(m => (Id: m.Groups[1].Value, Severity: m.Groups[2].Value))
            .ToList();
        Assert.Equal(lines.Count, lines.Select(l => l.Id).Distinct().Count());
        return lines.ToDictionary(l => l.Id, l => l.Severity);
    }

    private static string EditorConfigSeverity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };
}
