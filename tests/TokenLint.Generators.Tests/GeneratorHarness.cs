using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TokenLint.Tests;
using Xunit;

namespace TokenLint.Generators.Tests;

/// <summary>Runs the <c>[CachedPrompt]</c> generator over source compiled against the real packages.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(params string[] sources) => Compile(withMicrosoftExtensionsAI: true, sources);

    public static CSharpCompilation Compile(bool withMicrosoftExtensionsAI, params string[] sources)
    {
        var references = SdkReferences.Framework.Concat(SdkReferences.Sdk.Where(r =>
            withMicrosoftExtensionsAI || !Path.GetFileName(r.Display ?? "").StartsWith("Microsoft.Extensions.AI", System.StringComparison.Ordinal)));
        return CSharpCompilation.Create(
            "Prompts",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Prompt{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error, specificDiagnosticOptions: SdkReferences.SuppressedWarnings));
    }

    public static GeneratorDriver Driver(params AdditionalText[] additionalFiles) => CSharpGeneratorDriver.Create(
        new[] { new CachedPromptGenerator().AsSourceGenerator() },
        additionalTexts: additionalFiles,
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and checks that the output compiles with every warning an error.</summary>
    public static (Compilation Output, GeneratorDriverRunResult Run) Run(CSharpCompilation input, params AdditionalText[] additionalFiles)
    {
        var driver = Driver(additionalFiles).RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        return (output, driver.GetRunResult());
    }

    public static Assembly Load(Compilation output)
    {
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return Assembly.Load(stream.ToArray());
    }
}

/// <summary>An AdditionalFile held in memory, as the project would list it.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly Microsoft.CodeAnalysis.Text.SourceText _text = Microsoft.CodeAnalysis.Text.SourceText.From(text);

    public override string Path { get; } = path;

    public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) => _text;
}
