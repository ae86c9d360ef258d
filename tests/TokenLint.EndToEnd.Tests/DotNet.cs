using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;

namespace TokenLint.EndToEnd.Tests;

/// <summary>The output of one <c>dotnet</c> command.</summary>
public sealed record CommandResult(int ExitCode, string Output)
{
    /// <summary>TokenLint diagnostics as <c>File.cs:line TLxxxx</c>, distinct and sorted (MSBuild prints each twice).</summary>
    public IReadOnlyList<string> TokenLintDiagnostics(string severity = "warning") =>
        Output.Split('\n')
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, $@"([^/\\\s]+\.cs)\((\d+),\d+\): {severity} (TL\d{{4}})"))
            .Where(m => m.Success)
            .Select(m => $"{m.Groups[1].Value}:{m.Groups[2].Value} {m.Groups[3].Value}")
            .Distinct()
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Analyzer load failures and crashes: none may ever appear.</summary>
    public IReadOnlyList<string> AnalyzerFailures() =>
        Output.Split('\n').Where(line => new[] { "AD0001", "CS8032", "CS8784", "CS8785", "CS9057" }.Any(line.Contains)).Distinct().ToArray();
}

/// <summary>Runs the .NET CLI the way a user's shell would, without the test host's MSBuild environment.</summary>
public static class DotNet
{
    public static string RepositoryRoot { get; } = typeof(DotNet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static CommandResult Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, null, arguments);

    /// <param name="properties">MSBuild properties passed as environment variables, for commands such as
    /// <c>dotnet format</c> that take no <c>-p:</c> arguments.</param>
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? properties, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host sets MSBuild variables that would point a child build at the wrong SDK pieces.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && k != "MSBUILDDISABLENODEREUSE").ToArray())
        {
            start.Environment.Remove(key);
        }

        foreach (var property in properties ?? new Dictionary<string, string>())
        {
            start.Environment[property.Key] = property.Value;
        }

        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)TimeSpan.FromMinutes(10).TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in 10 minutes:\n{output}");
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, output.ToString());
    }

    /// <summary>Copies a directory tree, leaving out build output.</summary>
    public static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            string target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
