using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Generators.Tests;

/// <summary>
/// <see cref="GeneratedMembers"/> is the list the TL4001 fix keeps new sections clear of: it must name every member the
/// generator writes, and nothing it no longer writes. The approved snapshots hold every kind of member.
/// </summary>
public sealed class GeneratedMembersTests
{
    private static string[] MembersInSnapshots() => Directory.GetFiles(Snapshot.Folder, "*.verified.cs")
        .SelectMany(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
        .SelectMany(type => type.Members)
        .SelectMany(member => member switch
        {
            MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
            PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
            BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText).ToArray(),
            _ => new[] { member.Kind().ToString() },
        })
        .Distinct()
        .ToArray();

    [Fact]
    public void EveryMemberTheGeneratorWrites_IsAGeneratedName()
    {
        var written = MembersInSnapshots();
        Assert.Contains("PromptFile1", written);
        Assert.Equal(string.Empty, string.Join(", ", written.Where(name => !GeneratedMembers.IsGeneratedName(name))));
    }

    [Fact]
    public void EveryGeneratedName_IsWrittenBySomeSnapshot()
    {
        Assert.Empty(GeneratedMembers.Names.Except(MembersInSnapshots()));
    }

    [Theory]
    [InlineData("PromptFile1", true)]
    [InlineData("__PromptFile12", true)]
    [InlineData("PromptFile", false)]
    [InlineData("PromptFileText", false)]
    [InlineData("GetTools", true)]
    [InlineData("Policy", false)]
    public void PromptFileConstants_AreRecognisedByTheirShape(string name, bool generated)
    {
        Assert.Equal(generated, GeneratedMembers.IsGeneratedName(name));
    }
}
