extern alias analysis;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;
using TokenLint.Analyzers;
using TokenLint.Tests;

namespace TokenLint.Benchmarks;

/// <summary>
/// `dotnet run -c Release -- scan FOLDER [--per-project]`: every TokenLint analyzer over the C# files of a folder (say
/// a public repository's examples), compiled against the SDKs this project references, to read the findings by hand.
/// Files are compiled together with global usings for the common namespaces; code that does not bind is still
/// analysed, which also exercises the rules on broken code. With --per-project, the files of each project folder (the
/// folder of a *.csproj, less the folders of projects nested in it) are one compilation, as a build would compile
/// them, so that two samples' Program classes or top-level statements do not collide; files outside any project
/// make one more compilation. The last line also counts the model calls the call-site catalog recognised and how many
/// of them name their model in the analysed code, which says how much of the code the rules could see. With the
/// environment variable TOKENLINT_SCAN_LIST_CALLS=1, each recognised call is listed before that line
/// ("call: path(line): SDK method model"), to read the code around every call the rules saw.
/// </summary>
internal static class FolderScan
{
    private const string GlobalUsings =
        "global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading; global using System.Threading.Tasks; global using System.IO;";

    public static int Run(string folder, bool perProject = false)
    {
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                && !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .ToArray();
        var groups = perProject ? GroupByProject(folder, files) : new[] { (Name: ".", Files: files) };
        var analyzers = typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var all = new List<Diagnostic>();
        var calls = new CallSiteCount(folder, Environment.GetEnvironmentVariable("TOKENLINT_SCAN_LIST_CALLS") == "1");
        foreach (var group in groups.Where(g => g.Files.Length > 0))
        {
            all.AddRange(Analyze(group.Files, analyzers, calls));
        }

        foreach (var line in calls.Listed.OrderBy(l => l, StringComparer.Ordinal))
        {
            Console.WriteLine(line);
        }

        foreach (var diagnostic in all.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start))
        {
            var span = diagnostic.Location.GetLineSpan();
            Console.WriteLine($"{Path.GetRelativePath(folder, span.Path)}({span.StartLinePosition.Line + 1}): {diagnostic.Id} {diagnostic.GetMessage()}");
        }

        Console.WriteLine($"{files.Length} files, {all.Count} TokenLint diagnostics, {all.Count(d => d.Id == "AD0001")} analyzer failures"
            + (perProject ? $", {groups.Count(g => g.Files.Length > 0)} compilations" : "")
            + $", {calls.Recognised} model calls recognised ({calls.WithModel} naming their model)");
        return all.Any(d => d.Id == "AD0001") ? 1 : 0;
    }

    private static ImmutableArray<Diagnostic> Analyze(string[] files, ImmutableArray<DiagnosticAnalyzer> analyzers, CallSiteCount calls)
    {
        var trees = files
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path))
            .Append(CSharpSyntaxTree.ParseText(GlobalUsings))
            .ToArray();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(SdkReferences.SuppressedWarnings);
        var compilation = CSharpCompilation.Create("Scan", trees, SdkReferences.Framework.Concat(SdkReferences.Sdk), options);
        calls.Add(compilation);
        return compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None).Result;
    }

    private sealed class CallSiteCount(string folder, bool list)
    {
        public List<string> Listed { get; } = [];

        public int Recognised { get; private set; }

        public int WithModel { get; private set; }

        public void Add(Compilation compilation)
        {
            if (SdkTypes.Resolve(compilation) is not { } types)
            {
                return;
            }

            var catalog = new ModelCallSiteCatalog(types, analysis::TokenLint.Analysis.Catalog.ModelCatalog.BuiltIn);
            foreach (var tree in compilation.SyntaxTrees)
            {
                var model = compilation.GetSemanticModel(tree);
                foreach (var node in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (model.GetOperation(node) is IInvocationOperation invocation && catalog.TryGetCallSite(invocation, out var callSite))
                    {
                        Recognised++;
                        WithModel += callSite.Model?.Id is null ? 0 : 1;
                        if (list)
                        {
                            var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                            Listed.Add($"call: {Path.GetRelativePath(folder, tree.FilePath)}({line}): {callSite.Sdk} "
                                + $"{invocation.TargetMethod.ContainingType.Name}.{invocation.TargetMethod.Name} {callSite.Model?.Id ?? "(model unknown)"}");
                        }
                    }
                }
            }
        }
    }

    // Each file goes to the project whose folder is the deepest one containing it.
    private static (string Name, string[] Files)[] GroupByProject(string folder, string[] files)
    {
        var projectFolders = Directory.GetFiles(folder, "*.csproj", SearchOption.AllDirectories)
            .Select(path => Path.GetDirectoryName(path)! + Path.DirectorySeparatorChar)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(path => path.Length)
            .ToArray();
        return files
            .GroupBy(file => projectFolders.FirstOrDefault(project => file.StartsWith(project, StringComparison.Ordinal)) ?? "")
            .Select(g => (Name: g.Key.Length == 0 ? "(no project)" : Path.GetRelativePath(folder, g.Key), Files: g.ToArray()))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .ToArray();
    }
}
