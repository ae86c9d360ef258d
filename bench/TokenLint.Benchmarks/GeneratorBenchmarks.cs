using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TokenLint.Generators;
using TokenLint.Tests;

namespace TokenLint.Benchmarks;

/// <summary>
/// The [CachedPrompt] generator on a project of 200 prompt types (one file each) and 200 other files: a full run,
/// and an incremental run after an edit to a file that holds no prompt type, which should reuse everything.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int PromptTypes = 200;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _afterUnrelatedEdit = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var prompts = Enumerable.Range(0, PromptTypes).Select(i => CSharpSyntaxTree.ParseText(PromptType(i), ParseOptions, $"Prompt{i}.cs"));
        var others = Enumerable.Range(0, PromptTypes).Select(i => CSharpSyntaxTree.ParseText($"namespace App; public class Service{i} {{ public int Value => {i}; }}", ParseOptions, $"Service{i}.cs"));
        _compilation = CSharpCompilation.Create(
            "Prompts",
            prompts.Concat(others),
            SdkReferences.Framework.Concat(SdkReferences.Sdk),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var edited = _compilation.SyntaxTrees.Last();
        _afterUnrelatedEdit = _compilation.ReplaceSyntaxTree(edited, CSharpSyntaxTree.ParseText("namespace App; public class Service199 { public int Value => 200; }", ParseOptions, edited.FilePath));
        _warmDriver = NewDriver().RunGenerators(_compilation);
    }

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(new[] { new CachedPromptGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    private static string PromptType(int i) => $$""""
        using System;
        using TokenLint;

        namespace App.Prompts;

        [CachedPrompt(Model = "gpt-4o-mini")]
        public partial class Prompt{{i}}
        {
            [PromptSection(Stability.Volatile)]
            public required DateTimeOffset Now { get; init; }

            [PromptSection(Stability.Session)]
            public required string Customer { get; init; }

            [PromptSection(Stability.Static)]
            private const string Instructions = """
                You are assistant number {{i}} for Northwind Outfitters. Answer questions about orders, shipping,
                returns and warranties from the order data you are given, in two or three sentences.
                Never promise a delivery date the carrier has not confirmed.
                """;
        }
        """";

    // Fresh clones: a compilation keeps what it has bound, and reusing one would measure that cache.
    [Benchmark(Baseline = true)]
    public int FullRun() => NewDriver().RunGenerators(_compilation.Clone()).GetRunResult().GeneratedTrees.Length;

    [Benchmark]
    public int IncrementalRunAfterUnrelatedEdit() => _warmDriver.RunGenerators(_afterUnrelatedEdit.Clone()).GetRunResult().GeneratedTrees.Length;
}
