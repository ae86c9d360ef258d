using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace TokenLint.Analyzers.Tests;

/// <summary>Every rule is documented: a page per id whose header and properties match its descriptors, help links pointing at it, options listed on it.</summary>
public sealed class DocumentationTests
{
    private static readonly string DocsFolder = Path.Combine(AppContext.BaseDirectory, "docs", "rules");

    public static TheoryData<string> Ids() => ExportedRules.Ids();

    [Fact]
    public void DescriptorsOfOneId_AgreeOnTitleCategorySeverityAndHelpLink()
    {
        foreach (var (id, descriptors) in ExportedRules.DescriptorsById)
        {
            var first = descriptors[0];
            Assert.All(descriptors, d =>
            {
                Assert.Equal(first.Title.ToString(), d.Title.ToString());
                Assert.Equal(first.Category, d.Category);
                Assert.Equal(first.DefaultSeverity, d.DefaultSeverity);
                Assert.Equal(RuleIdentifiers.GetHelpUri(id), d.HelpLinkUri);
            });
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryRule_HasAPageWhoseHeaderMatchesItsDescriptors(string id)
    {
        string page = Path.Combine(DocsFolder, id + ".md");
        Assert.True(File.Exists(page), $"docs/rules/{id}.md is missing");
        Assert.EndsWith($"docs/rules/{id}.md", RuleIdentifiers.GetHelpUri(id), StringComparison.Ordinal);

        var descriptor = ExportedRules.Descriptor(id);
        string text = File.ReadAllText(page).Replace("\r\n", "\n");
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", text, StringComparison.Ordinal);
        var properties = PropertiesTable(text);
        Assert.Equal(id, properties.GetValueOrDefault("Id"));
        Assert.Equal(descriptor.Category, properties.GetValueOrDefault("Category"));
        Assert.Equal(descriptor.DefaultSeverity.ToString(), properties.GetValueOrDefault("Default severity"));
        // "Yes (when ...)" may say when the fix applies.
        Assert.Matches(ExportedRules.FixableIds.Contains(id) ? "^Yes" : "^No$", properties.GetValueOrDefault("Code fix") ?? "");
        Assert.Equal(ExportedRules.IdsWithOptions.Contains(id) ? "Yes" : "No", properties.GetValueOrDefault("Options"));
    }

    [Fact]
    public void EveryOptionKey_AppearsOnItsRulePage()
    {
        foreach (var option in RuleOptions.All)
        {
            string text = File.ReadAllText(Path.Combine(DocsFolder, option.RuleId + ".md"));
            Assert.True(text.Contains(option.RuleKey, StringComparison.Ordinal), $"{option.RuleKey} is not on docs/rules/{option.RuleId}.md");
            string line = (option.RuleKey + " = " + option.DefaultValue).TrimEnd();
            Assert.True(text.Contains(line, StringComparison.Ordinal), $"'{line}' (the option with its default) is not on docs/rules/{option.RuleId}.md");
        }
    }

    /// <summary>The first table of a page: <c>| Property | Value |</c> rows.</summary>
    private static Dictionary<string, string> PropertiesTable(string page) =>
        Regex.Matches(page, @"^\| *([^|]+?) *\| *([^|]+?) *\|$", RegexOptions.Multiline)
            .Select(m => (Key: m.Groups[1].Value, Value: m.Groups[2].Value))
            .Where(row => row.Key != "Property" && !row.Key.StartsWith("---", StringComparison.Ordinal))
            .GroupBy(row => row.Key)
            .ToDictionary(g => g.Key, g => g.First().Value);
}
