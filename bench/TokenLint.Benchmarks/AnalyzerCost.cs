using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analyzers;
using TokenLint.Tests;

namespace TokenLint.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- cost FOLDER [RUNS]`: every TokenLint analyzer over the C# files of a folder, several
/// times in one process on fresh compilations, with the time of each analyzer as the compiler reports it. The first
/// run pays for loading and compiling TokenLint's code to machine code (as each compiler process of a build does);
/// the later ones show what the analysis itself costs.
/// </summary>
internal static class AnalyzerCost
{
    public static int Run(string folder, int runs)
    {
        var trees = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains("/obj/") && !path.Contains("/bin/"))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path))
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading; global using System.Threading.Tasks; global using System.IO;"))
            .ToArray();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(SdkReferences.SuppressedWarnings);
        var compilation = CSharpCompilation.Create("Cost", trees, SdkReferences.Framework.Concat(SdkReferences.Sdk), options);
        _ = compilation.GetDiagnostics();
        var analyzers = typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        for (int run = 1; run <= runs; run++)
        {
            var jitTimeBefore = System.Runtime.JitInfo.GetCompilationTime();
            long jittedBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            var clone = compilation.Clone();
            _ = clone.GetDiagnostics();
            var withAnalyzers = clone.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
            var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).Result;
            var jitTime = System.Runtime.JitInfo.GetCompilationTime() - jitTimeBefore;
            long jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jittedBefore;
            var times = analyzers
                .Select(a => (Name: a.GetType().Name, Time: withAnalyzers.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None).Result.ExecutionTime))
                .OrderByDescending(t => t.Time)
                .ToArray();
            Console.WriteLine($"run {run}: {times.Sum(t => t.Time.TotalSeconds):F3} s summed, {diagnostics.Length} diagnostics, {jitted} methods compiled to machine code in {jitTime.TotalMilliseconds:F0} ms; "
                + string.Join(", ", times.Take(8).Select(t => $"{t.Name} {t.Time.TotalMilliseconds:F0}")));
        }

        return 0;
    }
}
