using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TokenLint.Tests;

/// <summary>
/// The references every test compilation gets: .NET 10 reference assemblies (Basic.Reference.Assemblies, no
/// network at test time) and the real SDK packages' assemblies, which NuGet copies next to the test assembly.
/// Inputs compile against the SDKs users compile against, never hand-written stubs.
/// </summary>
public static class SdkReferences
{
    private static readonly string[] SdkAssemblies =
    {
        "OpenAI", "System.ClientModel", "System.Memory.Data", "Azure.AI.OpenAI", "Azure.Core",
        "Anthropic",
        "Microsoft.Extensions.AI", "Microsoft.Extensions.AI.Abstractions", "Microsoft.Extensions.AI.OpenAI",
        "Microsoft.SemanticKernel.Abstractions", "Microsoft.SemanticKernel.Core", "Microsoft.SemanticKernel.Connectors.OpenAI",
        "Microsoft.SemanticKernel.Connectors.AzureOpenAI", "Microsoft.SemanticKernel",
        "Microsoft.Agents.AI", "Microsoft.Agents.AI.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.VectorData.Abstractions", "Microsoft.Extensions.Caching.Abstractions",
        "Polly", "Polly.Core",
        "TokenLint",
    };

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazySdk = new(() =>
        SdkAssemblies
            .Select(name => Path.Combine(AppContext.BaseDirectory, name + ".dll"))
            .Where(File.Exists)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    /// <summary>The SDK assemblies found beside the tests.</summary>
    public static ImmutableArray<MetadataReference> Sdk => LazySdk.Value;

    /// <summary>.NET 10 reference assemblies.</summary>
    public static IEnumerable<MetadataReference> Framework => Basic.Reference.Assemblies.Net100.References.All;

    /// <summary>Warnings that real SDK code raises and tests do not care about.</summary>
    public static readonly ImmutableDictionary<string, ReportDiagnostic> SuppressedWarnings = new Dictionary<string, ReportDiagnostic>
    {
        ["OPENAI001"] = ReportDiagnostic.Suppress,
        ["MEAI001"] = ReportDiagnostic.Suppress,
        ["SKEXP0001"] = ReportDiagnostic.Suppress,
        ["SKEXP0010"] = ReportDiagnostic.Suppress,
        ["CS1701"] = ReportDiagnostic.Suppress,
        ["CS1702"] = ReportDiagnostic.Suppress,
    }.ToImmutableDictionary();
}
