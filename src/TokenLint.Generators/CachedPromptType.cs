using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Generators;

/// <summary>
/// What the generator reads from one <c>[CachedPrompt]</c> type's declaration, before its prompt files and the model
/// catalog are known: the sections in layout order (a <c>[PromptFile]</c>'s without its text yet), whether every
/// static <c>[PromptSection]</c> is text known at build time (as TL2003 requires), and the prompt files it names. Namespace, name and type parameters
/// are as C# code writes them, keywords escaped (<c>@event.Prompts</c>, <c>@class</c>).
/// </summary>
internal sealed record CachedPromptDeclaration(
    string? Namespace,
    string TypeKeyword,
    string Name,
    string TypeParameters,
    bool IsStatic,
    string? ModelId,
    bool StaticCacheOneHour,
    EquatableArray<PromptSection> Sections,
    bool EveryStaticSectionConstant,
    EquatableArray<string> PromptFilePaths);

/// <summary>A type's declaration with the prompt files it names (a class, not a tuple: see <see cref="EquatableArray{T}"/>).</summary>
internal sealed record PromptTypeWithFiles(CachedPromptDeclaration Type, EquatableArray<PromptFileText> Files);

/// <summary>A prompt file a <c>[PromptFile]</c> names, found among the AdditionalFiles: the path as the attribute gives it, and its section text (null when it has none the builder can use).</summary>
internal sealed record PromptFileText(string RelativePath, string? Text);

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
    /// <summary>The hint name of the generated file: unique per type, generic arity included, without the '@' of escaped names (not allowed in a hint name).</summary>
    public string HintName => ((Namespace is null ? "" : Namespace + ".") + Name + (TypeParameters.Length == 0 ? "" : "`" + (TypeParameters.Split(',').Length)) + ".CachedPrompt.g.cs").Replace("@", "");

    /// <summary>The type as generated code names it from anywhere: <c>global::Ns.Type&lt;T&gt;</c>.</summary>
    public string QualifiedName => "global::" + (Namespace is null ? "" : Namespace + ".") + Name + TypeParameters;
}

/// <summary>
/// One section in layout order. <see cref="Expression"/> reads it from inside the type, qualified with <c>this.</c>
/// or the type's name as <see cref="IsStaticMember"/> says, so that no generated local can hide it; for few-shot pairs,
/// <see cref="PairInput"/> and <see cref="PairOutput"/> read the two strings of one pair. A prompt file's section has
/// its <see cref="FilePath"/>, and <see cref="Expression"/> names the generated constant that holds its text. An
/// <see cref="IsImmutableArray"/> section is read through a helper that makes a default (uninitialised) array empty:
/// enumerating one throws.
/// </summary>
internal sealed record PromptSection(
    string Member,
    int Stability,
    string Expression,
    PromptSectionKind Kind,
    string? ConstantText,
    string? PairInput = null,
    string? PairOutput = null,
    string? FilePath = null,
    bool IsStaticMember = true,
    bool IsImmutableArray = false);

/// <summary>What the compilation can take: which adapters to emit, and whether C# 8 syntax is allowed.</summary>
/// <remarks><see cref="FunctionDeclarationType"/>: the Microsoft.Extensions.AI type whose JSON schema the static prefix
/// hash covers (<c>AIFunctionDeclaration</c>, or <c>AIFunction</c> in versions before it), null without one.</remarks>
internal sealed record EmitTargets(bool MicrosoftExtensionsAI, bool Anthropic, bool NullableSyntax, string? FunctionDeclarationType = null)
{
    /// <summary>What a compilation without <c>[CachedPrompt]</c> types gets: nothing is looked up, nothing is emitted.</summary>
    public static EmitTargets None { get; } = new(false, false, false);

    /// <summary>
    /// The adapters a compilation can take. C# 8 brings <c>#nullable</c> and <c>string?</c>, C# 9 the init setters the
    /// Anthropic SDK's types use; a project on C# 7.3 (netstandard2.0's default) gets code without either.
    /// </summary>
    public static EmitTargets For(Compilation compilation)
    {
        var languageVersion = compilation is CSharpCompilation csharp ? csharp.LanguageVersion : LanguageVersion.CSharp7_3;
        // The type whose JSON schema ComputeStaticPrefixHash() covers: AIFunctionDeclaration, AIFunction before it.
        string? functionDeclarationType = new[] { "Microsoft.Extensions.AI.AIFunctionDeclaration", "Microsoft.Extensions.AI.AIFunction" }
            .FirstOrDefault(name => compilation.GetTypeByMetadataName(name) is not null) is { } name ? "global::" + name : null;
        return new EmitTargets(
            compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatMessage") is not null,
            compilation.GetTypeByMetadataName("Anthropic.Models.Messages.TextBlockParam") is not null && languageVersion >= LanguageVersion.CSharp9,
            languageVersion >= LanguageVersion.CSharp8,
            functionDeclarationType);
    }
}
