using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.Configuration;

/// <summary>A problem in a user's catalog override file.</summary>
public sealed class CatalogFileProblem
{
    public CatalogFileProblem(AdditionalText file, CatalogProblem problem)
    {
        File = file;
        Problem = problem;
    }

    public AdditionalText File { get; }

    public CatalogProblem Problem { get; }
}

/// <summary>The catalog a compilation uses: built-in entries with the user's overrides applied.</summary>
public sealed class EffectiveModelCatalog
{
    private readonly Lazy<ModelCatalog> _catalog;

    public EffectiveModelCatalog(ModelCatalog catalog, IReadOnlyList<CatalogFileProblem> problems)
        : this(new Lazy<ModelCatalog>(() => catalog), problems)
    {
    }

    private EffectiveModelCatalog(Lazy<ModelCatalog> catalog, IReadOnlyList<CatalogFileProblem> problems)
    {
        _catalog = catalog;
        Problems = problems;
    }

    /// <summary>The built-in catalog when the project has no override file, built on first use (see <see cref="ModelCatalog.BuiltIn"/>).</summary>
    internal static EffectiveModelCatalog BuiltInOnly { get; } = new(new Lazy<ModelCatalog>(() => ModelCatalog.BuiltIn), Array.Empty<CatalogFileProblem>());

    public ModelCatalog Catalog => _catalog.Value;

    public IReadOnlyList<CatalogFileProblem> Problems { get; }
}

/// <summary>
/// Finds the user's catalog override among the AdditionalFiles (the package adds <c>$(TokenLintModelCatalog)</c>
/// with <c>TokenLintKind=ModelCatalog</c> metadata; a file named <c>tokenlint.models.json</c> also counts) and
/// applies it. Reads each file's text once, however many rules ask (cached by the text object).
/// </summary>
public static class ModelCatalogProvider
{
    public const string OverrideFileName = "tokenlint.models.json";
    public const string KindMetadataKey = "build_metadata.AdditionalFiles.TokenLintKind";

    private static readonly ConditionalWeakTable<SourceText, ModelCatalogReadResult> ReadCache = new();

    /// <summary>
    /// The catalog and the problems of the override files. Without an override file nothing is read or built
    /// here: the built-in catalog is built the first time a rule reads <see cref="EffectiveModelCatalog.Catalog"/>.
    /// </summary>
    public static EffectiveModelCatalog Get(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        List<AdditionalText>? overrides = null;
        foreach (var file in options.AdditionalFiles)
        {
            if (IsCatalogOverride(file, options))
            {
                (overrides ??= new List<AdditionalText>()).Add(file);
            }
        }

        return overrides is null ? EffectiveModelCatalog.BuiltInOnly : Apply(overrides, cancellationToken);
    }

    private static EffectiveModelCatalog Apply(List<AdditionalText> overrides, CancellationToken cancellationToken)
    {
        var catalog = ModelCatalog.BuiltIn;
        List<CatalogFileProblem>? problems = null;
        foreach (var file in overrides)
        {
            var text = file.GetText(cancellationToken);
            if (text is null)
            {
                continue;
            }

            var result = Read(text, catalog);
            foreach (var problem in result.Problems)
            {
                (problems ??= new List<CatalogFileProblem>()).Add(new CatalogFileProblem(file, problem));
            }

            catalog = catalog.WithOverrides(result);
        }

        return new EffectiveModelCatalog(catalog, (IReadOnlyList<CatalogFileProblem>?)problems ?? Array.Empty<CatalogFileProblem>());
    }

    /// <summary>
    /// The built-in catalog with the override files' models applied in order, problems ignored (the analyzers
    /// report them): what the <c>[CachedPrompt]</c> generator decides its breakpoints with, from the same files.
    /// </summary>
    public static ModelCatalog WithOverrides(IEnumerable<string> overrideTexts)
    {
        var catalog = ModelCatalog.BuiltIn;
        foreach (string text in overrideTexts)
        {
            catalog = catalog.WithOverrides(ModelCatalogReader.Read(text, catalog.Find));
        }

        return catalog;
    }

    /// <summary>
    /// Reads a file over the catalog the files before it made (a partial entry changes what is there, as the run
    /// time's <c>ModelPriceCatalog.WithOverrides</c> does). The first file, read over the built-in catalog, is
    /// cached by its text; a later one depends on the files before it, which are rare enough to read again.
    /// </summary>
    private static ModelCatalogReadResult Read(SourceText text, ModelCatalog basis) =>
        basis == ModelCatalog.BuiltIn
            ? ReadCache.GetValue(text, t => ModelCatalogReader.Read(t.ToString(), ModelCatalog.BuiltIn.Find))
            : ModelCatalogReader.Read(text.ToString(), basis.Find);

    private static bool IsCatalogOverride(AdditionalText file, AnalyzerOptions options) =>
        IsCatalogOverride(file.Path, options.AnalyzerConfigOptionsProvider.GetOptions(file));

    /// <summary>Whether the AdditionalFile at <paramref name="path"/>, with its options, is a catalog override.</summary>
    public static bool IsCatalogOverride(string path, AnalyzerConfigOptions fileOptions) =>
        (fileOptions.TryGetValue(KindMetadataKey, out var kind)
            && kind.Trim().Equals("ModelCatalog", StringComparison.OrdinalIgnoreCase))
        || Path.GetFileName(path).Equals(OverrideFileName, StringComparison.OrdinalIgnoreCase);
}
