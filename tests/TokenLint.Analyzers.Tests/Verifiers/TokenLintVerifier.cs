using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using TokenLint.Tests;

namespace TokenLint.Analyzers.Tests.Verifiers;

/// <summary>
/// The one place that decides how rule tests compile their inputs: .NET 10 reference assemblies with no
/// network, the real SDK packages' assemblies, nullable on, the SDKs' experimental-API warnings off. Every
/// input must compile (compiler errors fail the test) and every fix test also runs FixAll.
/// </summary>
public static class TokenLintVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, editorConfig: null, expected);

    public static async Task VerifyAnalyzerAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.AddEditorConfig(editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    public static Task VerifyCodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected) =>
        VerifyCodeFixAsync(source, fixedSource, editorConfig: null, expected);

    public static async Task VerifyCodeFixAsync(string source, string fixedSource, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.AddEditorConfig(editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            // No reference package is resolved (that would need the network); the assemblies come from
            // Basic.Reference.Assemblies and the SDK packages the test project restores.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(SdkReferences.Framework);
            TestState.AdditionalReferences.AddRange(SdkReferences.Sdk);
            SolutionTransforms.Add((solution, projectId) =>
            {
                var project = solution.GetProject(projectId)!;
                var options = (CSharpCompilationOptions)project.CompilationOptions!;
                options = options
                    .WithNullableContextOptions(NullableContextOptions.Enable)
                    .WithSpecificDiagnosticOptions(options.SpecificDiagnosticOptions.SetItems(SdkReferences.SuppressedWarnings));
                var parseOptions = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
                return solution.WithProjectCompilationOptions(projectId, options).WithProjectParseOptions(projectId, parseOptions);
            });
        }

        /// <summary>Adds an .editorconfig whose <c>[*.cs]</c> section holds the given lines.</summary>
        public void AddEditorConfig(string? lines)
        {
            if (lines is not null)
            {
                TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + lines + "\n"));
            }
        }
    }
}
