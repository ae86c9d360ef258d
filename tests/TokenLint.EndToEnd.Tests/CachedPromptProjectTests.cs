using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace TokenLint.EndToEnd.Tests;

/// <summary>
/// Issue 6's "Checked by", on a new project that references the packed package: a [CachedPrompt] type declared
/// volatile-first, its Render(), StaticPrefixTokenCount and StaticPrefixHash as the real compiler builds them, and
/// TL9101 with its docs link on a type that is not partial.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class CachedPromptProjectTests
{
    /// <summary>About 1,000 o200k tokens of policy text, one numbered rule a line (the test checks the count).</summary>
    private static readonly string StaticText = string.Join("\n", Enumerable.Range(1, 29).Select(i =>
        $"{i}. Orders shipped to region {i % 7} arrive within {i % 5 + 2} business days; a refund for item class {i} goes back to the original payment method within {i % 3 + 5} days."));

    private readonly PackedPackageFixture _package;

    public CachedPromptProjectTests(PackedPackageFixture package)
    {
        _package = package;
    }

    [Fact]
    public void CachedPromptType_IsBuiltByThePackage_WithAStaticFirstLayoutAnExactCountAndAStableHash()
    {
        int o200kCount = TiktokenTokenizer.CreateForModel("gpt-4o").CountTokens(StaticText);
        Assert.InRange(o200kCount, 900, 1100);

        // SARIF 2.1 carries each reported rule's help link, which the console output does not show.
        string project = _package.CreateConsoleProject("cached-prompt-app", "CachedPromptApp", "<ErrorLog>$(MSBuildProjectDirectory)/build.sarif,version=2.1</ErrorLog>");
        File.WriteAllText(Path.Combine(project, "NotPartialPrompt.cs"), """
            using TokenLint;

            [CachedPrompt(Model = "gpt-4.1")]
            public sealed class NotPartialPrompt
            {
                [PromptSection(Stability.Static)]
                private const string Instructions = "Reply with one word.";
            }
            """);
        string promptFile = Path.Combine(project, "QuotePrompt.cs");
        File.WriteAllText(promptFile, PromptSource(StaticText));

        // Build, then rebuild from scratch: the hash is a build-time constant and must not move.
        var first = BuildAndRun(project);
        var second = BuildAndRun(project, "--no-incremental");

        Assert.StartsWith(StaticText + "\n\n", first.Rendered, StringComparison.Ordinal);
        Assert.EndsWith("\n\ngold\n\nWhere is order 123?", first.Rendered.TrimEnd('\n'), StringComparison.Ordinal);
        Assert.False(first.CountIsEstimate);
        Assert.InRange((double)first.TokenCount, o200kCount * 0.99, o200kCount * 1.01);
        Assert.Equal(Sha256(StaticText), first.Hash);
        Assert.Equal(first.Hash, second.Hash);
        Assert.Equal(first.TokenCount, second.TokenCount);

        // TL9101 on the type that is not partial, and nothing else: 1,000 tokens are under TL4001's budget, and
        // an OpenAI model gets no TL2003.
        Assert.Equal(new[] { "NotPartialPrompt.cs:4 TL9101" }, first.Diagnostics);
        string? helpUri = HelpUri(Path.Combine(project, "build.sarif"), "TL9101");
        Assert.Equal("https://github.com/tokenlint/tokenlint/blob/main/docs/rules/TL9101.md", helpUri);
        Assert.True(File.Exists(Path.Combine(DotNet.RepositoryRoot, "docs", "rules", "TL9101.md")), "the help link's page is missing from docs/rules");

        // One static character changed: a new hash, and still the hash of exactly the static text.
        int middle = StaticText.IndexOf("region 3", StringComparison.Ordinal);
        string edited = StaticText.Substring(0, middle) + "Region 3" + StaticText.Substring(middle + "region 3".Length);
        File.WriteAllText(promptFile, PromptSource(edited));
        var third = BuildAndRun(project);

        Assert.NotEqual(first.Hash, third.Hash);
        Assert.Equal(Sha256(edited), third.Hash);
        Assert.StartsWith(edited + "\n\n", third.Rendered, StringComparison.Ordinal);
    }

    /// <summary>The prompt type, its members declared volatile-first, and a Main that prints what the generator built.</summary>
    private static string PromptSource(string staticText) => $$""""
        using System;
        using TokenLint;

        [CachedPrompt(Model = "gpt-4.1")]
        public sealed partial class QuotePrompt
        {
            [PromptSection(Stability.Volatile)]
            public required string Question { get; init; }

            [PromptSection(Stability.Session)]
            public required string CustomerTier { get; init; }

            [PromptSection(Stability.Static)]
            private const string Policy = """
        {{string.Join("\n", staticText.Split('\n').Select(line => "        " + line))}}
                """;
        }

        public static class Program
        {
            public static void Main()
            {
                var prompt = new QuotePrompt { Question = "Where is order 123?", CustomerTier = "gold" };
                Console.WriteLine(QuotePrompt.StaticPrefixTokenCount);
                Console.WriteLine(QuotePrompt.StaticPrefixTokenCountIsEstimate);
                Console.WriteLine(QuotePrompt.StaticPrefixHash);
                Console.Write(prompt.Render());
            }
        }
        """";

    private sealed record RunResult(int TokenCount, bool CountIsEstimate, string Hash, string Rendered, string[] Diagnostics);

    private RunResult BuildAndRun(string project, params string[] extraArguments)
    {
        var build = DotNet.Run(project, new[] { "build", "-c", "Release", "-nologo" }.Concat(_package.PackageProperties).Concat(extraArguments).ToArray());
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Empty(build.AnalyzerFailures());

        var run = DotNet.Run(project, Path.Combine("bin", "Release", "net10.0", "CachedPromptApp.dll"));
        Assert.True(run.ExitCode == 0, run.Output);
        string[] lines = run.Output.Split('\n');
        return new RunResult(
            int.Parse(lines[0].Trim(), System.Globalization.CultureInfo.InvariantCulture),
            bool.Parse(lines[1].Trim()),
            lines[2].Trim(),
            string.Join("\n", lines.Skip(3)),
            build.TokenLintDiagnostics().ToArray());
    }

    /// <summary>The help link SARIF 2.1 records for a rule the build reported.</summary>
    private static string? HelpUri(string sarifPath, string ruleId)
    {
        using var sarif = JsonDocument.Parse(File.ReadAllText(sarifPath));
        var run = sarif.RootElement.GetProperty("runs")[0];
        Assert.Contains(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == ruleId);
        return run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Where(rule => rule.GetProperty("id").GetString() == ruleId)
            .Select(rule => rule.TryGetProperty("helpUri", out var uri) ? uri.GetString() : null)
            .FirstOrDefault();
    }

    private static string Sha256(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
