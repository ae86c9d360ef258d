using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analyzers;
using TokenLint.Tests;

namespace TokenLint.Benchmarks;

/// <summary>
/// Every TokenLint analyzer over the SupportAgent sample (real SDK references), against the same compilation with
/// no analyzer, and over a project that references no LLM SDK (which should cost close to nothing).
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private CSharpCompilation _sample = null!;
    private CSharpCompilation _noSdk = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Sample");
        var trees = Directory.GetFiles(folder, "*.cs")
            .Select(path => CSharpSyntaxTree.ParseText(
                "global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;\n" + File.ReadAllText(path),
                new CSharpParseOptions(LanguageVersion.Latest), path))
            .ToArray();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(SdkReferences.SuppressedWarnings);
        // The sample uses a [CachedPrompt] builder: run the generator first, as the compiler does.
        var withoutGenerated = CSharpCompilation.Create("Sample", trees, SdkReferences.Framework.Concat(SdkReferences.Sdk), options);
        CSharpGeneratorDriver.Create(new Generators.CachedPromptGenerator().AsSourceGenerator())
            .RunGeneratorsAndUpdateCompilation(withoutGenerated, out var generated, out _);
        _sample = (CSharpCompilation)generated;
        _noSdk = CSharpCompilation.Create("Plain", trees.Select(t => CSharpSyntaxTree.ParseText("class C { void M() { var s = \"gpt-4o\"; } }")).Take(1), SdkReferences.Framework, options);
        _analyzers = typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
    }

    // Each benchmark works on a fresh clone: a compilation caches what it has bound, and TokenLint caches per
    // compilation, so reusing one would measure caches.
    [Benchmark(Baseline = true)]
    public int CompileOnly() => _sample.Clone().GetDiagnostics().Length;

    [Benchmark]
    public async Task<int> CompileWithTokenLint() =>
        (await _sample.Clone().WithAnalyzers(_analyzers).GetAllDiagnosticsAsync(CancellationToken.None)).Length;

    [Benchmark]
    public async Task<int> ProjectWithoutAnySdk() =>
        (await _noSdk.Clone().WithAnalyzers(_analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None)).Length;

    public static int Main(string[] args)
    {
        if (args.Length is 2 or 3 && args[0] == "scan")
        {
            return FolderScan.Run(args[1], perProject: args.Length == 3 && args[2] == "--per-project");
        }

        if (args.Length is 2 or 3 && args[0] == "cost")
        {
            return AnalyzerCost.Run(args[1], args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
        }

        BenchmarkSwitcher.FromAssembly(typeof(AnalyzerBenchmarks).Assembly).Run(args);
        return 0;
    }
}
