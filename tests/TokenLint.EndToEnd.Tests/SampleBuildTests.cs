using System;
using System.IO;
using System.Linq;

namespace TokenLint.EndToEnd.Tests;

/// <summary>Builds samples/SupportAgent, and small projects, against the packed package.</summary>
[Collection(PackedPackageCollection.Name)]
public sealed class SampleBuildTests
{
    private static readonly string SampleDirectory = Path.Combine(DotNet.RepositoryRoot, "samples", "SupportAgent");
    private readonly PackedPackageFixture _package;

    public SampleBuildTests(PackedPackageFixture package)
    {
        _package = package;
    }

    [Fact]
    public void Sample_ReportsExactlyTheExpectedDiagnostics()
    {
        var build = BuildCopyOfSample("default");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Empty(build.AnalyzerFailures());
        var expected = File.ReadAllLines(Path.Combine(SampleDirectory, "expected-diagnostics.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0).OrderBy(l => l, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, build.TokenLintDiagnostics());
    }

    [Fact]
    public void Sample_OfflineRun_PrintsACostSummaryPerAgent()
    {
        var build = BuildCopyOfSample("offline");
        Assert.True(build.ExitCode == 0, build.Output);

        string ledger = Path.Combine(CopySample("offline"), "usage.jsonl");
        File.Delete(ledger);
        var run = DotNet.Run(CopySample("offline"), "run", "--no-build", "-c", "Release", "--", "--offline", "--ledger", ledger);

        Assert.True(run.ExitCode == 0, run.Output);
        AssertTokenLintReportReads(ledger);
        Assert.Contains("SIMULATED", run.Output);
        Assert.Contains("Cost by agent", run.Output);
        foreach (string agent in new[] { "support-desk", "faq", "reply-drafter" })
        {
            Assert.Matches($@"\n\s+{agent}\s+\d+ calls .*\$0\.\d{{6}}", run.Output);
        }

        Assert.Contains("gpt-4.1-mini", run.Output);
        Assert.Contains("claude-haiku-4-5", run.Output);
        Assert.Contains("how long does the refund take? -> served from the semantic cache", run.Output);
        Assert.Matches(@"Semantic cache: 1 hit, saved [1-9]\d* tokens, \$0\.\d{6}", run.Output);
        Assert.DoesNotMatch(@"Semantic cache: .*\$0\.000000", run.Output);
    }

    /// <summary>`tokenlint report` over the ledger the sample wrote: every call, priced, by agent.</summary>
    private static void AssertTokenLintReportReads(string ledger)
    {
        var records = TokenLint.Runtime.TokenLedgerFile.Read(ledger);
        Assert.Empty(records.Problems);
        Assert.NotEmpty(records.Records);
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = TokenLint.Cli.TokenLintCommand.Create().Parse(["report", ledger, "--json"])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        Assert.True(exit == 0, error.ToString());
        var report = System.Text.Json.JsonDocument.Parse(output.ToString()).RootElement;
        var totals = report.GetProperty("totals");
        Assert.Equal(records.Records.Count, totals.GetProperty("calls").GetInt64());
        Assert.Equal(records.Records.Sum(r => r.Tokens.InputTokens), totals.GetProperty("inputTokens").GetInt64());
        Assert.Equal(records.Records.Sum(r => r.Tokens.OutputTokens), totals.GetProperty("outputTokens").GetInt64());
        Assert.Equal(Math.Round(records.Records.Sum(r => r.CostUsd ?? 0m), 6), totals.GetProperty("costUsd").GetDecimal());
        var agents = report.GetProperty("byProject").EnumerateArray().Select(a => a.GetProperty("project").GetString()).ToArray();
        Assert.Contains("faq", agents);
        Assert.Contains("reply-drafter", agents);
    }

    [Fact]
    public void StrictPreset_TurnsTheFindingsIntoErrors()
    {
        var build = BuildCopyOfSample("strict", "-p:TokenLintPreset=strict");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Empty(build.AnalyzerFailures());
        Assert.Contains(build.TokenLintDiagnostics("error"), d => d.EndsWith("TL1001", StringComparison.Ordinal));
        Assert.Contains(build.TokenLintDiagnostics("error"), d => d.EndsWith("TL1002", StringComparison.Ordinal));
    }

    [Fact]
    public void SwitchedOff_ReportsNothing()
    {
        var build = BuildCopyOfSample("disabled", "-p:TokenLintEnabled=false");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Empty(build.AnalyzerFailures());
        Assert.Empty(build.TokenLintDiagnostics());
    }

    [Fact]
    public void ProjectWithoutAnyLlmSdk_ReportsNothing()
    {
        string project = _package.CreateConsoleProject("plain-app", "PlainApp");
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            // Looks like model code, but no LLM SDK is referenced: nothing to report.
            const string Model = "gpt-4o-mnii";
            System.Console.WriteLine($"Would ask {Model} for a yes/no answer in 5 tokens.");
            """);

        var build = DotNet.Run(project, new[] { "build", "-c", "Release", "-nologo" }.Concat(_package.PackageProperties).ToArray());

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Empty(build.AnalyzerFailures());
        Assert.Empty(build.TokenLintDiagnostics());
    }

    [Fact]
    public void DotnetFormat_AppliesTheFixesAndTheResultBuilds()
    {
        string copy = CopySample("format");
        var restore = DotNet.Run(copy, _package.PackageEnvironment, "restore");
        Assert.True(restore.ExitCode == 0, restore.Output);

        // Two passes. dotnet format asks one diagnostic of an id for a Fix All action and gives up on the id when
        // that one has no fix; PolicyAssistant's TL2001 has none (TL2004's fix moves that value), and which TL2001
        // it asks first varies from run to run. So TL2004 goes first and TL2001 after, when only fixable ones remain.
        var format = DotNet.Run(copy, _package.PackageEnvironment, "format", "analyzers", "SupportAgent.csproj",
            "--diagnostics", "TL1001", "TL1002", "TL2002", "TL2004", "TL3001", "TL3002", "TL3003", "TL4002", "TL5001", "TL5002", "--severity", "info", "--no-restore");
        Assert.True(format.ExitCode == 0, format.Output);
        var formatTL2001 = DotNet.Run(copy, _package.PackageEnvironment, "format", "analyzers", "SupportAgent.csproj",
            "--diagnostics", "TL2001", "--severity", "info", "--no-restore");
        Assert.True(formatTL2001.ExitCode == 0, formatTL2001.Output);
        Assert.DoesNotContain("Unable to fix", formatTL2001.Output, StringComparison.Ordinal);

        var build = DotNet.Run(copy, new[] { "build", "-c", "Release", "-nologo", "--no-incremental" }.Concat(_package.PackageProperties).ToArray());
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Empty(build.AnalyzerFailures());

        // What was fixed is gone (moving the date block after the breakpoint also ends TL2001 there); what has no
        // fix (TL2003, TL2005, TL4001, TL4004) or was not asked for (TL4003, whose fix edits the baseline) remains.
        var remaining = build.TokenLintDiagnostics();
        Assert.Equal(new[] { "TL2003", "TL2005", "TL4001", "TL4003", "TL4004" }, remaining.Select(d => d.Split(' ')[1]).Distinct().OrderBy(id => id, StringComparer.Ordinal));
        Assert.DoesNotContain(remaining, d => d.StartsWith("BillingAssistant.cs", StringComparison.Ordinal) && d.EndsWith("TL2001", StringComparison.Ordinal));
        Assert.Contains("\"gpt-4o-mini\"", File.ReadAllText(Path.Combine(copy, "KnowledgeBaseAssistant.cs")), StringComparison.Ordinal);
        Assert.Contains("\\n{SupportPolicy.Text}\\nToday is {DateTime.UtcNow:D}.", File.ReadAllText(Path.Combine(copy, "BillingAssistant.cs")), StringComparison.Ordinal);

        // TL5001 moved the headline before the loop; TL5002 kept the first classification and read the usage from it.
        string digest = File.ReadAllText(Path.Combine(copy, "WeeklyDigest.cs"));
        Assert.True(digest.IndexOf("ChatCompletion headline", StringComparison.Ordinal) < digest.IndexOf("foreach", StringComparison.Ordinal), digest);
        string classifier = File.ReadAllText(Path.Combine(copy, "TicketPriorityClassifier.cs"));
        Assert.Contains("var response = await _chat.GetResponseAsync(prompt, cancellationToken: cancellationToken);", classifier, StringComparison.Ordinal);
        Assert.Contains("long? tokens = response.Usage?.TotalTokenCount;", classifier, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteBaselineTarget_RecordsEveryKeyedPromptAndClearsTL4003()
    {
        string copy = CopySample("baseline");
        var write = DotNet.Run(copy, new[] { "build", "-t:TokenLintWriteBaseline", "-nologo" }.Concat(_package.PackageProperties).ToArray());
        Assert.True(write.ExitCode == 0, write.Output);

        string baseline = File.ReadAllText(Path.Combine(copy, "tokenlint.baseline.json"));
        Assert.Contains("\"SupportAgent.SupportPolicy.Text\": ", baseline, StringComparison.Ordinal);
        Assert.DoesNotContain("1400", baseline, StringComparison.Ordinal);

        var build = BuildCopyOfSample("baseline");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.DoesNotContain(build.TokenLintDiagnostics(), d => d.EndsWith("TL4003", StringComparison.Ordinal));
    }

    private CommandResult BuildCopyOfSample(string name, params string[] extraArguments)
    {
        string copy = CopySample(name);
        return DotNet.Run(copy, new[] { "build", "-c", "Release", "-nologo", "--no-incremental" }.Concat(_package.PackageProperties).Concat(extraArguments).ToArray());
    }

    /// <summary>Each test builds its own copy, so that parallel runs and fixes never touch the repository.</summary>
    private string CopySample(string name)
    {
        string copy = Path.Combine(_package.WorkDirectory, "samples-" + name, "SupportAgent");
        if (Directory.Exists(copy))
        {
            // A test that changed its copy (a new baseline) builds that copy again.
            return copy;
        }

        DotNet.CopyDirectory(SampleDirectory, copy);
        foreach (var props in new[] { "Directory.Build.props", "Directory.Packages.props" })
        {
            File.Copy(Path.Combine(DotNet.RepositoryRoot, "samples", props), Path.Combine(copy, "..", props), overwrite: true);
        }

        return copy;
    }
}
