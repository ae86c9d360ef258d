using System;
using System.Collections.Generic;
using System.IO;

namespace TokenLint.EndToEnd.Tests;

/// <summary>
/// Packs TokenLint, TokenLint.Runtime and TokenLint.Postgres once for the end-to-end tests, with a version no other run uses (NuGet caches packages by id
/// and version) into a feed and a packages folder of its own.
/// </summary>
public sealed class PackedPackageFixture : IDisposable
{
    public PackedPackageFixture()
    {
        WorkDirectory = Path.Combine(Path.GetTempPath(), "tokenlint-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(WorkDirectory, "feed");
        PackagesFolder = Path.Combine(WorkDirectory, "packages");
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Directory.CreateDirectory(Feed);
        Pack = DotNet.Run(DotNet.RepositoryRoot, "pack", Path.Combine("src", "TokenLint", "TokenLint.csproj"), "-c", "Release", "-o", Feed, $"-p:Version={Version}", "-nologo");
        PackagePath = Path.Combine(Feed, $"TokenLint.{Version}.nupkg");
        RuntimePack = DotNet.Run(DotNet.RepositoryRoot, "pack", Path.Combine("src", "TokenLint.Runtime", "TokenLint.Runtime.csproj"), "-c", "Release", "-o", Feed, $"-p:Version={Version}", "-nologo");
        RuntimePackagePath = Path.Combine(Feed, $"TokenLint.Runtime.{Version}.nupkg");
        // The sample's fleet mode references it.
        PostgresPack = DotNet.Run(DotNet.RepositoryRoot, "pack", Path.Combine("src", "TokenLint.Postgres", "TokenLint.Postgres.csproj"), "-c", "Release", "-o", Feed, $"-p:Version={Version}", "-nologo");
    }

    public string WorkDirectory { get; }

    public string Feed { get; }

    public string PackagesFolder { get; }

    public string Version { get; }

    public CommandResult Pack { get; }

    public string PackagePath { get; }

    public CommandResult RuntimePack { get; }

    public string RuntimePackagePath { get; }

    public CommandResult PostgresPack { get; }

    /// <summary>MSBuild arguments that make a project restore this build of the package.</summary>
    public string[] PackageProperties => new[]
    {
        $"-p:TokenLintVersion={Version}", $"-p:TokenLintFeed={Feed}", $"-p:RestorePackagesPath={PackagesFolder}",
        "-p:UseSharedCompilation=false", "--disable-build-servers",
    };

    /// <summary>The same properties as environment variables (MSBuild reads those as properties too).</summary>
    public IReadOnlyDictionary<string, string> PackageEnvironment => new Dictionary<string, string>
    {
        ["TokenLintVersion"] = Version,
        ["TokenLintFeed"] = Feed,
        ["RestorePackagesPath"] = PackagesFolder,
    };

    /// <summary>
    /// A new console project in a folder of its own under <see cref="WorkDirectory"/> that references this build of
    /// the package (<paramref name="package"/>: TokenLint or TokenLint.Runtime), as a user's project would;
    /// <paramref name="extraProperties"/> goes into its PropertyGroup.
    /// </summary>
    /// <returns>The project's folder.</returns>
    public string CreateConsoleProject(string folder, string projectName, string extraProperties = "", string package = "TokenLint")
    {
        string project = Path.Combine(WorkDirectory, folder);
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, projectName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <RestoreAdditionalProjectSources>$(TokenLintFeed)</RestoreAdditionalProjectSources>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{package}" Version="$(TokenLintVersion)" />
              </ItemGroup>
            </Project>
            """);
        return project;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackageFixture>
{
    public const string Name = "Packed TokenLint package";
}
