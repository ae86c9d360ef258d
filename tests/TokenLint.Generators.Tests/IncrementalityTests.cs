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

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    [Fact]
    public void UnrelatedEdit_RegeneratesNothing()
    {
        var driver = RunOnce(out var compilation);
        driver = driver.RunGenerators(Replace(compilation, 2, "class Unrelated { int Value => 2; }"));

        Assert.All(Reasons(driver, TrackingNames.PromptTypes), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.ReferencesMicrosoftExtensionsAI), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        Assert.All(Reasons(driver, TrackingNames.ReferencesAnthropic), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        Assert.All(Reasons(driver, TrackingNames.PromptTypesWithAdapters), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void EditingOneStaticSection_RegeneratesThatTypeOnly()
    {
        var driver = RunOnce(out var compilation);
        driver = driver.RunGenerators(Replace(compilation, 0, First.Replace("helpful", "careful")));

        var reasons = Reasons(driver, TrackingNames.PromptTypesWithAdapters);
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

        var reasons = Reasons(driver, TrackingNames.PromptTypesWithAdapters);
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
        Assert.All(Reasons(driver, TrackingNames.PromptFiles), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.ModelCatalogOverrides), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.PromptTypesWithFiles), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.ResolvedPromptTypes), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(Reasons(driver, TrackingNames.PromptTypesWithAdapters), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }
}
