using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace TokenLint.Cli.Tests;

/// <summary>The HTML report: self-contained, escaped, a chart per kind of waste, and what a browser makes of it.</summary>
public sealed class HtmlReportTests
{
    private static readonly string[] ChartIds = { "spend-by-model", "input-per-call", "session-cost", "cache-hit-rate", "calls-per-day" };

    private static string WriteReport(TempFolder folder, string logs)
    {
        string html = Path.Combine(folder.Path, "report.html");
        var (exit, _, error) = CliRunner.Run("report", logs, "--until", "2026-11-30", "--html", html);
        Assert.True(exit == 0, error);
        return html;
    }

    [Fact]
    public void Report_HasTheDiagnosisFirst_AChartPerKindOfWaste_AndNoScriptOrExternalResource()
    {
        using var folder = CliRunner.TempFolder();
        string text = File.ReadAllText(WriteReport(folder, CliRunner.Fixture("transcripts")));
        Assert.True(text.IndexOf("id=\"headline\"", StringComparison.Ordinal) < text.IndexOf("<svg", StringComparison.Ordinal));
        foreach (string id in ChartIds)
        {
            Assert.Contains($"<svg id=\"{id}\"", text);
        }

        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase), text);
        Assert.DoesNotContain("Here is the change.", text);
        Assert.DoesNotContain("Add a cart", text);
    }

    [Fact]
    public void NamesFromTheLogs_AreEscaped()
    {
        using var folder = CliRunner.TempFolder();
        string line = "{\"type\":\"assistant\",\"cwd\":\"/home/<script>alert(1)</script>\",\"sessionId\":\"s&\\\"x\",\"requestId\":\"r\",\"timestamp\":\"2026-11-30T00:00:00Z\","
            + "\"message\":{\"id\":\"m\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":10,\"output_tokens\":10}}}\n";
        folder.File("logs/p/s.jsonl", line);
        string text = File.ReadAllText(WriteReport(folder, Path.Combine(folder.Path, "logs")));
        Assert.DoesNotContain("<script>", text);
        Assert.Contains("/home/&lt;script&gt;alert(1)&lt;/script&gt;", text);
        Assert.Contains("s&amp;&quot;x", text);
    }

    /// <summary>
    /// Opens the report in headless Chromium (Debian's chromium; .ci/run installs it) and checks the browser built every
    /// chart: the DOM after loading has each chart's SVG with its bars or points. Keeps a screenshot under artifacts/.
    /// </summary>
    [Fact]
    public void Chromium_RendersEveryChart()
    {
        string chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium); .ci/run installs it.");
        using var folder = CliRunner.TempFolder();
        string html = WriteReport(folder, CliRunner.Fixture("transcripts"));

        string dom = RunChromium(chromium, folder.Path, "--dump-dom", new Uri(html).AbsoluteUri);
        foreach (string id in ChartIds)
        {
            var svg = Regex.Match(dom, $"<svg id=\"{id}\".*?</svg>", RegexOptions.Singleline);
            Assert.True(svg.Success, $"chart {id} missing from the rendered page");
            Assert.Matches("<(rect|circle)", svg.Value);
        }

        Assert.Contains("Spend rose from", dom);

        string screenshot = Path.Combine(RepositoryRoot(), "artifacts", "tokenlint-report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        RunChromium(chromium, folder.Path, $"--screenshot={screenshot}", "--window-size=1280,2400", new Uri(html).AbsoluteUri);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is empty");
    }

    private static string RunChromium(string chromium, string profileParent, params string[] args)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(profileParent, "chromium-profile")}",
        }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within 2 minutes.");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {stderr.Result}");
        Assert.DoesNotContain("Uncaught", stderr.Result);
        return stdout.Result;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "TokenLint.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("TokenLint.sln not found above the test folder.");
    }
}
