using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>The shapes of tool definitions, for the rules and fixes that read or order them without naming an SDK.</summary>
public static class ToolTypes
{
    /// <summary>The properties a tool's name is read from, in the order a fix tries them: <c>Name</c>
    /// (Microsoft.Extensions.AI's <c>AITool</c>, Anthropic's tools), then OpenAI's chat tool property.</summary>
    public static IReadOnlyList<string> NameProperties { get; } = new[] { "Name", OpenAISdk.ToolNameProperty };

    /// <summary>The base type of the tools a <c>[CachedPrompt]</c> tool section holds (Microsoft.Extensions.AI's
    /// <c>AITool</c>), or null when the compilation does not reference it: then no section is a tool list.</summary>
    public static INamedTypeSymbol? PromptToolType(Compilation compilation) => ExtensionsAISdk.ToolType(compilation);
}
