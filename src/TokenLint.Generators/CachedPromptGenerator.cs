using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Generators;

/// <summary>
/// Emits, for each partial <c>[CachedPrompt]</c> type, a builder that lays its <c>[PromptSection]</c> members out
/// static → session → volatile whatever order they are declared in, so that the provider's cached prefix is
/// byte-identical across calls, with the static prefix's token count and hash as build-time constants.
/// Misuse (a type that is not partial) is reported by the analyzers, not here.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CachedPromptGenerator : IIncrementalGenerator
{
    /// <summary>What the generated layout puts between two non-empty sections.</summary>
    internal const string SectionSeparator = PromptSections.SectionSeparator;

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var promptTypes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                PromptSections.CachedPromptAttributeName,
                static (node, _) => node is TypeDeclarationSyntax { Parent: BaseNamespaceDeclarationSyntax or CompilationUnitSyntax } type
                    && type.Modifiers.Any(SyntaxKind.PartialKeyword),
                static (context, cancellationToken) => Describe(context, cancellationToken))
            .Where(static type => type is not null)
            .WithTrackingName(TrackingNames.PromptTypes);

        // A bool, so that edits elsewhere in the compilation compare equal and leave the output cached.
        var referencesMicrosoftExtensionsAI = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatMessage") is not null)
            .WithTrackingName(TrackingNames.ReferencesMicrosoftExtensionsAI);

        // C# 8 brings #nullable and string?, C# 9 the init setters the Anthropic SDK's types use; a project on
        // C# 7.3 (netstandard2.0's default) gets code without either.
        var languageVersion = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions parse ? parse.LanguageVersion : LanguageVersion.CSharp7_3)
            .WithTrackingName(TrackingNames.LanguageVersion);

        var referencesAnthropic = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName("Anthropic.Models.Messages.TextBlockParam") is not null)
            .WithTrackingName(TrackingNames.ReferencesAnthropic);

        var targets = referencesMicrosoftExtensionsAI.Combine(referencesAnthropic).Combine(languageVersion)
            .Select(static (pair, _) => new EmitTargets(
                pair.Left.Left,
                pair.Left.Right && pair.Right >= LanguageVersion.CSharp9,
                pair.Right >= LanguageVersion.CSharp8));

        var withAdapters = promptTypes
            .Combine(targets)
            .WithTrackingName(TrackingNames.PromptTypesWithAdapters);

        context.RegisterSourceOutput(withAdapters, static (output, pair) =>
            output.AddSource(pair.Left!.HintName, CachedPromptEmitter.Emit(pair.Left!, pair.Right)));
    }

    private static CachedPromptType? Describe(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        string? modelId = context.Attributes[0].NamedArguments.FirstOrDefault(a => a.Key == "Model").Value.Value as string;
        bool staticCacheOneHour = context.Attributes[0].NamedArguments.FirstOrDefault(a => a.Key == "StaticCacheTtl").Value.Value is PromptSections.CacheTtlOneHour;
        var sectionAttribute = context.SemanticModel.Compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
        // Null without Microsoft.Extensions.AI: then no section is a tool list.
        var aiTool = context.SemanticModel.Compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.AITool");
        var sections = new List<(int Order, int Position, PromptSection Section)>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sectionAttribute));
            if (attribute is null)
            {
                continue;
            }

            var (stability, order) = PromptSections.Read(attribute);
            if (Section(member, stability, aiTool, cancellationToken) is { } section)
            {
                sections.Add((order ?? int.MaxValue, sections.Count, section));
            }
        }

        var ordered = sections.OrderBy(s => s.Section.Stability).ThenBy(s => s.Order).ThenBy(s => s.Position).Select(s => s.Section).ToImmutableArray();
        var staticSections = ordered.Where(s => s.Stability == PromptSections.Static).ToList();
        string staticText = string.Join(SectionSeparator, staticSections.Select(s => s.ConstantText).Where(text => !string.IsNullOrEmpty(text)));

        var model = modelId is null ? null : ModelCatalog.BuiltIn.Find(modelId);
        var count = TokenCounter.Count(staticText, TokenCounter.EncodingFor(model?.Id ?? modelId));
        // Only OpenAI's tokenizers are public: any other model's count is the o200k_base count, an estimate.
        bool estimate = count.IsEstimate || (model is not null ? model.Provider != ModelProvider.OpenAI : modelId is not null);
        bool allConstant = staticSections.All(s => s.ConstantText is not null);

        // A breakpoint that falls short costs nothing, a missing one loses the cache: leave them out only for the
        // prefixes TL2003 reports (a confirmed minimum, a tokenizer count short even with Claude's margin, every
        // static section constant), by the same decision over the same members.
        bool knownShort = CacheableLength.IsStaticPrefixKnownShort(
            model,
            allConstant && sectionAttribute is not null ? PromptSections.ConstantStaticPrefix(type, sectionAttribute, cancellationToken) : null,
            out _,
            out _);

        return new CachedPromptType(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            Keyword(type),
            type.Name,
            type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">",
            type.IsStatic,
            modelId,
            count.Value,
            estimate,
            Hash(staticText),
            allConstant,
            !knownShort,
            staticCacheOneHour,
            // No Anthropic adapter on a prompt for another provider's model; without a model, any may be used.
            model is not null ? model.Provider == ModelProvider.Anthropic : modelId is null || modelId.StartsWith("claude", System.StringComparison.OrdinalIgnoreCase),
            new EquatableArray<PromptSection>(ordered));
    }

    /// <summary>
    /// A section the layout can read: text, lines (a collection of strings), few-shot pairs (a collection of
    /// <c>(string, string)</c> tuples or <c>KeyValuePair&lt;string, string&gt;</c>), or a static tool list (a
    /// collection of Microsoft.Extensions.AI <c>AITool</c>s). Null for anything else, which is left out.
    /// </summary>
    private static PromptSection? Section(ISymbol member, int stability, INamedTypeSymbol? aiTool, CancellationToken cancellationToken)
    {
        if (!member.CanBeReferencedByName)
        {
            return null;
        }

        // A keyword used as a name (@class) must be escaped where the generated code reads it.
        string name = SyntaxFacts.GetKeywordKind(member.Name) != SyntaxKind.None ? "@" + member.Name : member.Name;
        var (valueType, expression) = member switch
        {
            IFieldSymbol field => (field.Type, name),
            IPropertySymbol { Parameters.Length: 0, GetMethod: not null } property => (property.Type, name),
            IMethodSymbol { MethodKind: MethodKind.Ordinary, Parameters.Length: 0, TypeParameters.Length: 0, ReturnsVoid: false, ReturnsByRef: false, ReturnsByRefReadonly: false } method => (method.ReturnType, name + "()"),
            _ => (null, ""),
        };

        if (valueType is null)
        {
            return null;
        }

        if (valueType.SpecialType == SpecialType.System_String)
        {
            string? constantText = member is IFieldSymbol stringField ? PromptSections.ConstantText(stringField, cancellationToken) : null;
            return new PromptSection(member.Name, stability, expression, SectionKind.String, constantText);
        }

        if (IsText(valueType))
        {
            return new PromptSection(member.Name, stability, expression, SectionKind.Formattable, null);
        }

        return ElementType(valueType) switch
        {
            { SpecialType: SpecialType.System_String } => new PromptSection(member.Name, stability, expression, SectionKind.Lines, null),
            INamedTypeSymbol { IsTupleType: true, TupleElements: [{ Type.SpecialType: SpecialType.System_String }, { Type.SpecialType: SpecialType.System_String }] } =>
                new PromptSection(member.Name, stability, expression, SectionKind.Pairs, null, "Item1", "Item2"),
            INamedTypeSymbol { Name: "KeyValuePair", TypeArguments: [{ SpecialType: SpecialType.System_String }, { SpecialType: SpecialType.System_String }] } pair
                when pair.ContainingNamespace.ToDisplayString() == "System.Collections.Generic" =>
                new PromptSection(member.Name, stability, expression, SectionKind.Pairs, null, "Key", "Value"),
            // Tools go before the system prompt in the provider's prefix: only a static tool list keeps it cached.
            { } element when stability == PromptSections.Static && aiTool is not null && IsOrDerivesFrom(element, aiTool) =>
                new PromptSection(member.Name, stability, expression, SectionKind.Tools, null),
            _ => null,
        };
    }

    /// <summary>The <c>T</c> of the <c>IEnumerable&lt;T&gt;</c> a type is or implements, if any.</summary>
    private static ITypeSymbol? ElementType(ITypeSymbol type)
    {
        var candidates = type is INamedTypeSymbol named ? new[] { named }.Concat(type.AllInterfaces) : type.AllInterfaces;
        return candidates.FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0];
    }

    private static bool IsOrDerivesFrom(ITypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Values the layout can write as text: strings, and values that format themselves (numbers, dates, enums,
    /// anything IFormattable). A collection or a task would render as its type name.
    /// </summary>
    private static bool IsText(ITypeSymbol type)
    {
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        return underlying.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_Char
            || underlying.TypeKind == TypeKind.Enum
            || underlying.AllInterfaces.Any(i => i.ToDisplayString() == "System.IFormattable");
    }

    private static string Keyword(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (false, TypeKind.Struct) => "struct",
        _ => "class",
    };

    /// <summary>SHA-256 of the UTF-8 text, lower-case hex: the same function the generated code runs.</summary>
    internal static string Hash(string text)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var builder = new StringBuilder(hash.Length * 2);
        foreach (byte b in hash)
        {
            builder.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
