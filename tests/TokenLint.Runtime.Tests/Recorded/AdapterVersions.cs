using System;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Tests.Recorded;

/// <summary>
/// The package versions these tests run against, read from the loaded assemblies: TokenLint.Runtime.Tests runs on
/// the lowest Microsoft.Extensions.AI the runtime supports (its package dependency), TokenLint.Runtime.Tests.MEAI11
/// compiles the same sources against 11.0.0; tests that differ by version say what holds for each.
/// </summary>
internal static class AdapterVersions
{
    /// <summary>Microsoft.Extensions.AI's package version, e.g. <c>10.11.0</c>.</summary>
    public static Version MicrosoftExtensionsAI => PackageVersion(typeof(ChatClientBuilder).Assembly);

    /// <summary>Microsoft.Extensions.AI.Abstractions' package version.</summary>
    public static Version MicrosoftExtensionsAIAbstractions => PackageVersion(typeof(IChatClient).Assembly);

    /// <summary>Microsoft.Extensions.AI.OpenAI's package version.</summary>
    public static Version MicrosoftExtensionsAIOpenAI => PackageVersion(typeof(OpenAIClientExtensions).Assembly);

    /// <summary>The OpenAI SDK loaded at run time.</summary>
    public static Version OpenAI => PackageVersion(typeof(OpenAI.Responses.ResponsesClient).Assembly);

    /// <summary>The OpenAI SDK assembly version Microsoft.Extensions.AI.OpenAI was compiled against.</summary>
    public static Version OpenAIOfTheAdapter =>
        typeof(OpenAIClientExtensions).Assembly.GetReferencedAssemblies().Single(a => a.Name == "OpenAI").Version!;

    private static Version PackageVersion(Assembly assembly)
    {
        string informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        int end = informational.IndexOfAny(['+', '-']);
        return Version.Parse(end < 0 ? informational : informational[..end]);
    }
}
