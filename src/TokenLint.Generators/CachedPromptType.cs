using System;

namespace TokenLint.Generators;

/// <summary>What the generator knows about one <c>[CachedPrompt]</c> type: strings, numbers and an equatable
/// array only, never a symbol or a syntax node, so that an unrelated edit leaves it equal and cached.</summary>
internal sealed record CachedPromptType(
    string? Namespace,
    string TypeKeyword,
    string Name,
    string TypeParameters,
    bool IsStatic,
    string? ModelId,
    int StaticPrefixTokenCount,
    bool TokenCountIsEstimate,
    string StaticPrefixHash,
    bool AllStaticSectionsConstant,
    bool StaticPrefixMayBeCached,
    bool StaticCacheOneHour,
    bool MaySendToAnthropic,
    EquatableArray<PromptSection> Sections)
{
    /// <summary>The hint name of the generated file: unique per type, generic arity included.</summary>
    public string HintName => (Namespace is null ? "" : Namespace + ".") + Name + (TypeParameters.Length == 0 ? "" : "`" + (TypeParameters.Split(',').Length)) + ".CachedPrompt.g.cs";
}

/// <summary>One section in layout order. <see cref="Expression"/> reads it from inside the type.</summary>
internal sealed record PromptSection(string Member, int Stability, string Expression, bool IsString, string? ConstantText);

/// <summary>What the compilation can take: which adapters to emit, and whether C# 8 syntax is allowed.</summary>
internal sealed record EmitTargets(bool MicrosoftExtensionsAI, bool Anthropic, bool NullableSyntax);
