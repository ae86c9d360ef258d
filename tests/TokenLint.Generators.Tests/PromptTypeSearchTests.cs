using System.Linq;

namespace TokenLint.Generators.Tests;

/// <summary>
/// [CachedPrompt] types are found by the attribute's name in each file's text, then by symbol: every way C# lets a
/// file apply the attribute is found, and a mere mention builds nothing.
/// </summary>
public sealed class PromptTypeSearchTests
{
    private const string Body = """
        {
            [PromptSection(Stability.Static)]
            const string Text = "You are a helpful assistant.";
        }
        """;

    private static string[] GeneratedHints(params string[] sources) =>
        GeneratorHarness.Run(GeneratorHarness.Compile(sources)).Run.GeneratedTrees
            .Select(tree => System.IO.Path.GetFileName(tree.FilePath))
            .OrderBy(name => name, System.StringComparer.Ordinal)
            .ToArray();

    [Theory]
    [InlineData("using TokenLint;\n[CachedPrompt] partial class Support\n")]
    [InlineData("using TokenLint;\n[TokenLint.CachedPromptAttribute] partial class Support\n")]
    [InlineData("using TokenLint;\nnamespace Outer { namespace Inner { [Serializable, CachedPrompt(Model = \"gpt-4o\")] partial class Support\n")]
    [InlineData("using Prompt = TokenLint.CachedPromptAttribute;\nusing TokenLint;\n[Prompt] partial class Support\n")]
    public void EverySpellingOfTheAttributeIsFound(string declaration)
    {
        int namespaces = declaration.Split("namespace").Length - 1;
        string source = "using System;\n" + declaration + Body + new string('}', namespaces);

        Assert.Contains(GeneratedHints(source), hint => hint.Contains("Support", System.StringComparison.Ordinal));
    }

    [Fact]
    public void AGlobalAliasDeclaredInAnotherFileIsFound()
    {
        const string aliases = "global using Prompt = TokenLint.CachedPromptAttribute;\nglobal using TokenLint;";
        const string support = "[Prompt] partial class Support\n" + Body;

        Assert.Contains(GeneratedHints(aliases, support), hint => hint.Contains("Support", System.StringComparison.Ordinal));
    }

    [Fact]
    public void AMentionInACommentOrAnotherAttributeBuildsNothing()
    {
        const string source = """
            // Not a [CachedPrompt] type: see CachedPromptDocs.
            [System.Obsolete("use CachedPrompt")]
            partial class Support { const string Text = "x"; }
            """;

        Assert.Empty(GeneratedHints(source));
    }
}
