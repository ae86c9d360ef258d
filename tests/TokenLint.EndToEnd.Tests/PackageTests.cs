using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace TokenLint.EndToEnd.Tests;

[Collection(PackedPackageCollection.Name)]
public sealed class PackageTests
{
    private readonly PackedPackageFixture _package;

    public PackageTests(PackedPackageFixture package)
    {
        _package = package;
    }

    [Fact]
    public void Package_HoldsTheLibraryTheCompilerAssembliesAndTheBuildFiles()
    {
        Assert.True(_package.Pack.ExitCode == 0, _package.Pack.Output);
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet();
        string[] expected =
        {
            "lib/netstandard2.0/TokenLint.dll",
            "analyzers/dotnet/cs/TokenLint.Analysis.dll",
            "analyzers/dotnet/cs/TokenLint.Analyzers.dll",
            "analyzers/dotnet/cs/TokenLint.CodeFixes.dll",
            "analyzers/dotnet/cs/TokenLint.Generators.dll",
            "analyzers/dotnet/cs/Microsoft.ML.Tokenizers.dll",
            "analyzers/dotnet/cs/Microsoft.ML.Tokenizers.Data.O200kBase.dll",
            "analyzers/dotnet/cs/Microsoft.ML.Tokenizers.Data.Cl100kBase.dll",
            "build/TokenLint.props",
            "build/TokenLint.targets",
            "build/TokenLint.Default.globalconfig",
            "build/TokenLint.Strict.globalconfig",
            "buildTransitive/TokenLint.props",
            "buildTransitive/TokenLint.targets",
            "README.md",
        };
        Assert.All(expected, path => Assert.Contains(path, entries));

        // The build-time catalog generator is a build tool, not something users load.
        Assert.DoesNotContain(entries, e => e.Contains("ModelCatalogGenerator"));
    }

    [Fact]
    public void Package_HasTheMetadataAUserExpects()
    {
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        using var nuspec = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal("TokenLint", Value("id"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.NotNull(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository"));

        // TokenLint.dll is dependency-free: analyzer-side packages must not leak to users.
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency");
    }
}
