using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TokenLint.Generators.Tests;

/// <summary>An edit outside a <c>[CachedPrompt]</c> type regenerates nothing; an edit to one regenerates that type only.</summary>
public sealed class IncrementalityTests
{
    private const string First = """
        using TokenLint;

        [CachedPrompt(Model = "gpt-4o")]
        partial class First
        {
            [PromptSection(Stability.Static)]
            const string Text = "You are a helpful assistant.";
        }
        """;

    private const string Second = """
        using TokenLint;

        [CachedPrompt]
        partial class Second
        {
            [PromptSection(Stability.Static)]
            const string Text = "Answer in one word.";
        }
        """;

    private const string Unrelated = "class Unrelated { int Value => 1; }";

    private static GeneratorDriver RunOnce(out CSharpCompilation compilation)
    {
        compilation = GeneratorHarness.Compile(First, Second, Unrelated);
        return GeneratorHarness.Driver().RunGenerators(compilation);
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, int index, string source)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: old.FilePath));
    }

    /// <summary>The run reasons of a step's outputs, checked to be as many as expected: a check over none would pass whatever ran.</summary>
    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step, int expectedOutputs)
    {
        var reasons = driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.True(reasons.Length == expectedOutputs, $"{step}: {reasons.Length} outputs, expected {expectedOutputs}");
        return reasons;
    }

    [Fact]
    public void UnrelatedEdit_RegeneratesNothing()
    {
        var driver = RunOnce(out var compilation);
        driver = driver.RunGenerators(Replace(compilation, 2, "class Unrelated { int Value => 2; }"));

        Assert.All(Reasons(driver, TrackingNames.PromptTypes, 2), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.EmitTargets, 1), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        Assert.All(Reasons(driver, TrackingNames.PromptTypesWithAdapters, 2), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void EditingOneStaticSection_RegeneratesThatTypeOnly()
    {
        var driver = RunOnce(out var compilation);
        driver = driver.RunGenerators(Replace(compilation, 0, First.Replace("helpful", "careful")));

        var reasons = Reasons(driver, TrackingNames.PromptTypesWithAdapters, 2);
        Assert.Equal(1, reasons.Count(reason => reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(reason => reason == IncrementalStepRunReason.Cached));
    }

    private const string WithPolicy = """
        using TokenLint;

        [CachedPrompt(Model = "gpt-4o")]
        [PromptFile("Prompts/policy.prompt.md")]
        partial class WithPolicy
        {
        }
        """;

    private const string WithStyle = """
        using TokenLint;

        [CachedPrompt]
        [PromptFile("Prompts/style.prompt.md")]
        partial class WithStyle
        {
        }
        """;

    private static readonly AdditionalText PolicyFile = new InMemoryAdditionalText("/repo/Prompts/policy.prompt.md", "Refunds within 14 days.");
    private static readonly AdditionalText StyleFile = new InMemoryAdditionalText("/repo/Prompts/style.prompt.md", "Be brief.");
    private static readonly AdditionalText NotesFile = new InMemoryAdditionalText("/repo/notes.md", "Meeting notes.");

    /// <summary>Two types with a prompt file each, one without, and an AdditionalFile nothing names.</summary>
    private static GeneratorDriver RunWithFiles()
    {
        var compilation = GeneratorHarness.Compile(First, WithPolicy, WithStyle);
        return GeneratorHarness.Driver(PolicyFile, StyleFile, NotesFile).RunGenerators(compilation);
    }

    [Fact]
    public void EditingAPromptFile_RegeneratesOnlyTheTypeThatUsesIt()
    {
        var driver = RunWithFiles();
        var compilation = GeneratorHarness.Compile(First, WithPolicy, WithStyle);
        driver = driver.ReplaceAdditionalText(PolicyFile, new InMemoryAdditionalText(PolicyFile.Path, "Refunds within 30 days."))
            .RunGenerators(compilation);

        var reasons = Reasons(driver, TrackingNames.PromptTypesWithAdapters, 3);
        Assert.Equal(1, reasons.Count(reason => reason == IncrementalStepRunReason.Modified));
        Assert.Equal(2, reasons.Count(reason => reason == IncrementalStepRunReason.Cached));
        string generated = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "WithPolicy.CachedPrompt.g.cs").SourceText.ToString();
        Assert.Contains("@\"Refunds within 30 days.\"", generated, System.StringComparison.Ordinal);
    }

    [Fact]
    public void EditingAnAdditionalFileNoPromptFileNames_RegeneratesNothing()
    {
        var driver = RunWithFiles();
        var compilation = GeneratorHarness.Compile(First, WithPolicy, WithStyle);
        driver = driver.ReplaceAdditionalText(NotesFile, new InMemoryAdditionalText(NotesFile.Path, "Other notes."))
            .RunGenerators(compilation);

        // The edited file is looked at (its path), found unnamed and not read; everything after it stays cached.
        Assert.All(Reasons(driver, TrackingNames.PromptFiles, 1), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.ModelCatalogOverrides, 1), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.PromptTypesWithFiles, 3), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.ResolvedPromptTypes, 3), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.PromptTypesWithAdapters, 3), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    /// <summary>A catalog override and a prompt file that count how often their text is read.</summary>
    private static (CountingAdditionalText Catalog, CountingAdditionalText Prompt) CountedFiles() =>
        (new CountingAdditionalText("/repo/tokenlint.models.json", """{ "models": [] }"""),
         new CountingAdditionalText("/repo/Prompts/policy.prompt.md", "Refunds within 14 days."));

    private static GeneratorDriver CountingDriver(CountingOptionsProvider options, params AdditionalText[] files) => CSharpGeneratorDriver.Create(
        new[] { new CachedPromptGenerator().AsSourceGenerator() },
        additionalTexts: files,
        parseOptions: GeneratorHarness.ParseOptions,
        optionsProvider: options,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>What the EmitTargets step gave, or "" when it did not run (a step with no input records nothing).</summary>
    private static string EmitTargets(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().TrackedSteps.TryGetValue(TrackingNames.EmitTargets, out var steps)
            ? steps.Single().Outputs.Single().Value.ToString()!
            : "";

    private static int OutputCount(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps.TryGetValue(step, out var steps) ? steps.Sum(s => s.Outputs.Length) : 0;

    [Fact]
    public void WithoutCachedPromptTypes_NothingIsLookedUpOrRead()
    {
        var (catalog, prompt) = CountedFiles();
        var options = new CountingOptionsProvider();
        var driver = CountingDriver(options, catalog, prompt).RunGenerators(GeneratorHarness.Compile(Unrelated));

        // No file text, no file options, no compilation lookup (the compilation references Microsoft.Extensions.AI),
        // and no type resolved: the catalog and the tokenizer are only touched there.
        Assert.Equal(0, catalog.Reads);
        Assert.Equal(0, prompt.Reads);
        Assert.Equal(0, options.FileLookups);
        Assert.DoesNotContain("MicrosoftExtensionsAI = True", EmitTargets(driver), System.StringComparison.Ordinal);
        Assert.Equal(0, OutputCount(driver, TrackingNames.ResolvedPromptTypes));
        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
    }

    [Fact]
    public void WithACachedPromptType_TheCatalogOverrideAndTheCompilationAreRead()
    {
        var (catalog, prompt) = CountedFiles();
        var options = new CountingOptionsProvider();
        var driver = CountingDriver(options, catalog, prompt).RunGenerators(GeneratorHarness.Compile(Unrelated, First));

        Assert.Equal(1, catalog.Reads);
        Assert.Equal(0, prompt.Reads);
        Assert.Equal(2, options.FileLookups);
        Assert.Contains("MicrosoftExtensionsAI = True", EmitTargets(driver), System.StringComparison.Ordinal);
        Assert.Equal(1, OutputCount(driver, TrackingNames.ResolvedPromptTypes));
    }

    private sealed class CountingAdditionalText(string path, string text) : AdditionalText
    {
        private readonly Microsoft.CodeAnalysis.Text.SourceText _text = Microsoft.CodeAnalysis.Text.SourceText.From(text);
        private int _reads;

        public int Reads => _reads;

        public override string Path { get; } = path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default)
        {
            System.Threading.Interlocked.Increment(ref _reads);
            return _text;
        }
    }

    private sealed class CountingOptionsProvider : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        private int _fileLookups;

        public int FileLookups => _fileLookups;

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions { get; } = new NoOptions();

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        {
            System.Threading.Interlocked.Increment(ref _fileLookups);
            return GlobalOptions;
        }

        private sealed class NoOptions : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
            {
                value = null;
                return false;
            }
        }
    }
}
