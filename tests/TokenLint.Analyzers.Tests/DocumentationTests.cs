using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TokenLint.Analyzers.Tests;

/// <summary>Every rule is documented: a page per descriptor, help links pointing at it, options listed on it.</summary>
public sealed class DocumentationTests
{
    private static readonly string DocsFolder = Path.Combine(AppContext.BaseDirectory, "docs", "rules");

    public static IEnumerable<object[]> Descriptors() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .Select(d => new object[] { d.Id, d.Title.ToString(), d.HelpLinkUri, d.Category });

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void EveryDescriptor_HasAPageItsHelpLinkPointsTo(string id, string title, string helpLink, string category)
    {
        string page = Path.Combine(DocsFolder, id + ".md");
        Assert.True(File.Exists(page), $"docs/rules/{id}.md is missing");
        Assert.Equal(RuleIdentifiers.GetHelpUri(id), helpLink);
        Assert.EndsWith($"docs/rules/{id}.md", helpLink, StringComparison.Ordinal);
        string text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {title}", text, StringComparison.Ordinal);
        Assert.Contains(category, text, StringComparison.Ordinal);
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

    [Fact]
    public void EveryRuleId_HasARowInTheReleaseTracking()
    {
        string unshipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AnalyzerReleases.Unshipped.md"));
        string shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AnalyzerReleases.Shipped.md"));
        foreach (var id in Descriptors().Select(d => (string)d[0]).Distinct())
        {
            Assert.True(unshipped.Contains(id + " ", StringComparison.Ordinal) || shipped.Contains(id + " ", StringComparison.Ordinal), $"{id} has no release-tracking row");
        }
    }
}
