using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analyzers.Tests;

/// <summary>
/// Rules and fixes ask the call-site catalog and never name an SDK: every SDK name lives in its folder under
/// src/TokenLint.Analysis/CallSites, so that supporting a new SDK, or a new version of one, changes that folder
/// and not the rules. Read from the sources: string literals and identifiers, not comments.
/// </summary>
public sealed class RulesNameNoSdkTests
{
    private static readonly string[] SdkFolders = { "Anthropic", "OpenAI", "AzureOpenAI", "ExtensionsAI", "SemanticKernel", "AgentFramework", "Polly" };

    private static readonly string[] SdkNamespaces = { "OpenAI", "Anthropic", "Azure.AI", "Microsoft.Extensions.AI", "Microsoft.SemanticKernel", "Microsoft.Agents.AI", "Polly" };

    /// <summary>Words an SDK file uses that are not SDK names: parameter and property names any API may have.</summary>
    private static readonly HashSet<string> CommonWords = new(StringComparer.Ordinal)
    {
        "Add", "AddRange", "Build", "Create", "Model", "Name", "Tools", "Text", "Content", "System", "Messages",
        "messages", "model", "options", "prompt", "parameters", "client", "Execute",
    };

    [Fact]
    public void SdkFolders_AreWhereTheSdkNamesAre()
    {
        // A test that finds no SDK name would pass whatever the rules say.
        var (literals, typeNames) = SdkNames();
        Assert.Contains("RetryForever", literals);
        Assert.Contains("FunctionName", literals);
        Assert.Contains("FunctionInvokingChatClient", typeNames);
        Assert.Contains("ChatClient", typeNames);
        Assert.DoesNotContain("Model", literals);
    }

    [Fact]
    public void RulesAndFixes_NameNoSdkTypeOrMember()
    {
        var (literals, typeNames) = SdkNames();
        var found = new List<string>();
        foreach (var project in new[] { "TokenLint.Analyzers", "TokenLint.CodeFixes" })
        {
            foreach (var file in SourceFiles(Path.Combine(RepositoryRoot, "src", project)))
            {
                var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
                foreach (var token in root.DescendantTokens())
                {
                    // A string names an SDK member, type or namespace; an identifier could only name a type.
                    string text = token.ValueText;
                    bool namesSdk = token.Kind() switch
                    {
                        SyntaxKind.StringLiteralToken or SyntaxKind.InterpolatedStringTextToken => literals.Contains(text) || NamesAnSdkNamespace(text),
                        SyntaxKind.IdentifierToken => typeNames.Contains(text),
                        _ => false,
                    };
                    if (namesSdk)
                    {
                        found.Add($"{Path.GetRelativePath(RepositoryRoot, file)}({token.GetLocation().GetLineSpan().StartLinePosition.Line + 1}): {text}");
                    }
                }
            }
        }

        Assert.True(found.Count == 0, "SDK names outside src/TokenLint.Analysis/CallSites (ask the catalog instead):\n" + string.Join("\n", found));
    }

    [Theory]
    [InlineData("Polly.Policy", true)]
    [InlineData("Microsoft.Extensions.AI.AITool", true)]
    [InlineData("OpenAI", true)]
    [InlineData("TokenLint.Stability", false)]
    [InlineData("OpenAIish", false)]
    public void NamespaceCheck_SeesQualifiedNames(string text, bool expected) => Assert.Equal(expected, NamesAnSdkNamespace(text));

    private static bool NamesAnSdkNamespace(string text) =>
        SdkNamespaces.Any(ns => text == ns || text.StartsWith(ns + ".", StringComparison.Ordinal));

    /// <summary>The string literals of the SDK folders, and the type names of the metadata names among them.</summary>
    private static (HashSet<string> Literals, HashSet<string> TypeNames) SdkNames()
    {
        var literals = new HashSet<string>(StringComparer.Ordinal);
        var typeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in SdkFolders)
        {
            foreach (var file in SourceFiles(Path.Combine(RepositoryRoot, "src", "TokenLint.Analysis", "CallSites", folder)))
            {
                foreach (var token in CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot().DescendantTokens().Where(t => t.IsKind(SyntaxKind.StringLiteralToken)))
                {
                    string value = token.ValueText;
                    if (token.Parent?.Parent?.Parent?.Parent is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetTypeByMetadataName" } })
                    {
                        // A type the SDK file resolves: its name may appear neither as a string nor as a type in a rule.
                        string typeName = value[(value.LastIndexOf('.') + 1)..].Split('`')[0];
                        if (!CommonWords.Contains(typeName))
                        {
                            typeNames.Add(typeName);
                            literals.Add(typeName);
                        }
                    }
                    else if (value.Length >= 4 && !CommonWords.Contains(value) && !NamesAnSdkNamespace(value))
                    {
                        literals.Add(value);
                    }
                }
            }
        }

        return (literals, typeNames);
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TokenLint.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TokenLint.sln not found above " + AppContext.BaseDirectory);
    }
}
