using Microsoft.CodeAnalysis.Diagnostics;

namespace TokenLint.Analysis.Configuration;

/// <summary>MSBuild properties the package makes visible to the compiler (<c>CompilerVisibleProperty</c>).</summary>
public static class ProjectSwitches
{
    /// <summary><c>&lt;TokenLintEnabled&gt;false&lt;/TokenLintEnabled&gt;</c> turns every rule off. The package's
    /// targets also remove the analyzers from such a build; this check covers hosts that skip those targets.</summary>
    public static bool IsEnabled(AnalyzerOptions options) =>
        !(options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.TokenLintEnabled", out var value)
          && value.Trim().Equals("false", System.StringComparison.OrdinalIgnoreCase));
}
