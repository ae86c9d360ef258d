using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analyzers;
using TokenLint.Tests;

namespace TokenLint.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- scan FOLDER`: every TokenLint analyzer over the C# files of a folder (say a public
/// repository's examples), compiled against the SDKs this project references, to read the findings by hand. Files
/// are compiled together with global usings for the common namespaces; code that does not bind is still analysed,
/// which also exercises the rules on broken code.
/// </summary>
internal static class FolderScan
{
    public static int Run(string folder)
    {
        var trees = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path))
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading; global using System.Threading.Tasks; global using System.IO;"))
            .ToArray();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(SdkReferences.SuppressedWarnings);
        var compilation = CSharpCompilation.Create("Scan", trees, SdkReferences.Framework.Concat(SdkReferences.Sdk), options);
        var analyzers = typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var diagnostics = compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None).Result;
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath).ThenBy(d => d.Location.SourceSpan.Start))
        {
            var span = diagnostic.Location.GetLineSpan();
            Console.WriteLine($"{Path.GetRelativePath(folder, span.Path)}({span.StartLinePosition.Line + 1}): {diagnostic.Id} {diagnostic.GetMessage()}");
        }

        Console.WriteLine($"{trees.Length - 1} files, {diagnostics.Length} TokenLint diagnostics, {diagnostics.Count(d => d.Id == "AD0001")} analyzer failures");
        return diagnostics.Any(d => d.Id == "AD0001") ? 1 : 0;
    }
}
