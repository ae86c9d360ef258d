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
using TokenLint.Analysis.Configuration;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Generators;

/// <summary>
/// Emits, for each partial <c>[CachedPrompt]</c> type, a builder that lays its <c>[PromptSection]</c> members out
/// static → session → volatile whatever order they are declared in, so that the provider's cached prefix is
/// byte-identical across calls, with the static prefix's token count and hash as build-time constants.
/// Misuse (a type that is not partial, nested or file-local: TL9101) is reported by the analyzers, not here.
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
                    && PromptSections.CanExtend(type),
                static (context, cancellationToken) => Describe(context, cancellationToken))
            .Where(static type => type is not null)
            .WithTrackingName(TrackingNames.PromptTypes);

        // The prompt files some [PromptFile] names: only those AdditionalFiles are read, and only their path and
        // text flow on, so that editing any other AdditionalFile regenerates nothing.
        var referencedPaths = promptTypes
            .Select(static (type, _) => type!.PromptFilePaths)
            .Collect()
            .Select(static (all, _) => new EquatableArray<string>(all.SelectMany(paths => paths).Distinct(System.StringComparer.Ordinal).OrderBy(path => path, System.StringComparer.Ordinal).ToImmutableArray()))
            .WithTrackingName(TrackingNames.ReferencedPromptFiles);

        var promptFiles = context.AdditionalTextsProvider
            .Combine(referencedPaths)
            .Select(static (pair, cancellationToken) => ReadPromptFile(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.PromptFileTexts)
            .Collect()
            .Select(static (all, _) => new EquatableArray<PromptFileText>(all.SelectMany(texts => texts).ToImmutableArray()))
            .WithTrackingName(TrackingNames.PromptFiles);

        // The user's catalog override (TokenLintModelCatalog), the same files TL2003 reads, as text.
        var catalogOverrides = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => ModelCatalogProvider.IsCatalogOverride(pair.Left.Path, pair.Right.GetOptions(pair.Left))
                ? pair.Left.GetText(cancellationToken)?.ToString()
                : null)
            .WithTrackingName(TrackingNames.ModelCatalogOverrideTexts)
            .Collect()
            .Select(static (all, _) => new EquatableArray<string>(all.Where(text => text is not null).Select(text => text!).ToImmutableArray()))
            .WithTrackingName(TrackingNames.ModelCatalogOverrides);

        // Each type keeps only its own files, so that a file edit leaves the other types unchanged.
        var resolved = promptTypes
            .Combine(promptFiles)
            .Select(static (pair, _) => (Type: pair.Left!, Files: OwnFiles(pair.Left!, pair.Right)))
            .WithTrackingName(TrackingNames.PromptTypesWithFiles)
            .Combine(catalogOverrides)
            .Select(static (pair, _) => Resolve(pair.Left.Type, pair.Left.Files, pair.Right))
            .WithTrackingName(TrackingNames.ResolvedPromptTypes);

        // A bool, so that edits elsewhere in the compilation compare equal and leave the output cached.
        var referencesMicrosoftExtensionsAI = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatMessage") is not null)
            .WithTrackingName(TrackingNames.ReferencesMicrosoftExtensionsAI);

        // The type whose JSON schema ComputeStaticPrefixHash() covers: AIFunctionDeclaration, AIFunction before it.
        var functionDeclarationType = context.CompilationProvider
            .Select(static (compilation, _) => new[] { "Microsoft.Extensions.AI.AIFunctionDeclaration", "Microsoft.Extensions.AI.AIFunction" }
                .FirstOrDefault(name => compilation.GetTypeByMetadataName(name) is not null) is { } name ? "global::" + name : null)
            .WithTrackingName(TrackingNames.FunctionDeclarationType);

        // C# 8 brings #nullable and string?, C# 9 the init setters the Anthropic SDK's types use; a project on
        // C# 7.3 (netstandard2.0's default) gets code without either.
        var languageVersion = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions parse ? parse.LanguageVersion : LanguageVersion.CSharp7_3)
            .WithTrackingName(TrackingNames.LanguageVersion);

        var referencesAnthropic = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName("Anthropic.Models.Messages.TextBlockParam") is not null)
            .WithTrackingName(TrackingNames.ReferencesAnthropic);

        var targets = referencesMicrosoftExtensionsAI.Combine(referencesAnthropic).Combine(languageVersion).Combine(functionDeclarationType)
            .Select(static (pair, _) => new EmitTargets(
                pair.Left.Left.Left,
                pair.Left.Left.Right && pair.Left.Right >= LanguageVersion.CSharp9,
                pair.Left.Right >= LanguageVersion.CSharp8,
                pair.Right));

        var withAdapters = resolved
            .Combine(targets)
            .WithTrackingName(TrackingNames.PromptTypesWithAdapters);

        context.RegisterSourceOutput(withAdapters, static (output, pair) =>
            output.AddSource(pair.Left.HintName, CachedPromptEmitter.Emit(pair.Left, pair.Right)));
    }

    private static CachedPromptDeclaration? Describe(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        string? modelId = context.Attributes[0].NamedArguments.FirstOrDefault(a => a.Key == "Model").Value.Value as string;
        bool staticCacheOneHour = context.Attributes[0].NamedArguments.FirstOrDefault(a => a.Key == "StaticCacheTtl").Value.Value is PromptSections.CacheTtlOneHour;
        var compilation = context.SemanticModel.Compilation;
        var sectionAttribute = compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
        var promptFileAttribute = compilation.GetTypeByMetadataName(PromptSections.PromptFileAttributeName);
        // Null without Microsoft.Extensions.AI: then no section is a tool list.
        var aiTool = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.AITool");
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

        // Prompt files come after the members of equal Order, as ConstantStaticParts orders them; each one's text
        // goes in a generated constant named so that it cannot clash with the type's own members.
        var memberNames = new HashSet<string>(type.MemberNames, System.StringComparer.Ordinal);
        var paths = new List<string>();
        foreach (var (path, order) in PromptSections.PromptFiles(type, promptFileAttribute))
        {
            string constant = GeneratedMembers.PromptFileConstantPrefix + (paths.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            while (memberNames.Contains(constant))
            {
                constant = "_" + constant;
            }

            memberNames.Add(constant);
            paths.Add(path);
            sections.Add((order ?? int.MaxValue, sections.Count, new PromptSection(path, PromptSections.Static, constant, SectionKind.String, null, FilePath: path)));
        }

        var ordered = sections.OrderBy(s => s.Section.Stability).ThenBy(s => s.Order).ThenBy(s => s.Position).Select(s => s.Section).ToImmutableArray();
        var constantParts = sectionAttribute is null ? null : PromptSections.ConstantStaticParts(type, sectionAttribute, promptFileAttribute, cancellationToken);
        return new CachedPromptDeclaration(
            type.ContainingNamespace.IsGlobalNamespace ? null : Namespace(type.ContainingNamespace),
            Keyword(type),
            Identifier(type.Name),
            type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => Identifier(p.Name))) + ">",
            type.IsStatic,
            modelId,
            staticCacheOneHour,
            new EquatableArray<PromptSection>(ordered),
            constantParts is not null,
            new EquatableArray<ConstantStaticPart>(constantParts?.ToImmutableArray() ?? ImmutableArray<ConstantStaticPart>.Empty),
            new EquatableArray<string>(paths.Distinct(System.StringComparer.Ordinal).ToImmutableArray()));
    }

    /// <summary>The section texts of the prompt files some <c>[PromptFile]</c> names that this AdditionalFile is; its text is read only then.</summary>
    private static EquatableArray<PromptFileText> ReadPromptFile(AdditionalText file, EquatableArray<string> referencedPaths, CancellationToken cancellationToken)
    {
        var matched = referencedPaths.Where(path => PromptSections.PromptFileMatches(file.Path, path)).ToList();
        if (matched.Count == 0 || file.GetText(cancellationToken) is not { } text)
        {
            return new EquatableArray<PromptFileText>(ImmutableArray<PromptFileText>.Empty);
        }

        string sectionText = PromptSections.PromptFileSectionText(text.ToString());
        return new EquatableArray<PromptFileText>(matched.Select(path => new PromptFileText(path, sectionText)).ToImmutableArray());
    }

    /// <summary>The files a type names, each the first AdditionalFile that matches it (AdditionalFiles order).</summary>
    private static EquatableArray<PromptFileText> OwnFiles(CachedPromptDeclaration type, EquatableArray<PromptFileText> files) =>
        new(type.PromptFilePaths
            .Select(path => files.FirstOrDefault(file => file.RelativePath == path))
            .Where(file => file is not null)
            .Select(file => file!)
            .ToImmutableArray());

    /// <summary>
    /// The builder's model: prompt file sections filled in (a file not found is left out; TL9104 reports it), the
    /// static prefix counted and hashed, and the breakpoint decision made with the user's catalog overrides.
    /// </summary>
    private static CachedPromptType Resolve(CachedPromptDeclaration type, EquatableArray<PromptFileText> files, EquatableArray<string> catalogOverrides)
    {
        string? FileText(string path) => files.FirstOrDefault(file => file.RelativePath == path)?.Text;

        var sections = type.Sections
            .Select(section => section.FilePath is null ? section : FileText(section.FilePath) is { } text ? section with { ConstantText = text } : null)
            .Where(section => section is not null)
            .Select(section => section!)
            .ToImmutableArray();
        var staticSections = sections.Where(s => s.Stability == PromptSections.Static).ToList();
        string staticText = string.Join(SectionSeparator, staticSections.Select(s => s.ConstantText).Where(text => !string.IsNullOrEmpty(text)));

        var catalog = catalogOverrides.Items.IsEmpty ? ModelCatalog.BuiltIn : ModelCatalogProvider.WithOverrides(catalogOverrides);
        var model = type.ModelId is null ? null : catalog.Find(type.ModelId);
        var count = TokenCounter.Count(staticText, TokenCounter.EncodingFor(model?.Id ?? type.ModelId));
        // Only OpenAI's tokenizers are public: any other model's count is the o200k_base count, an estimate.
        bool estimate = count.IsEstimate || (model is not null ? model.Provider != ModelProvider.OpenAI : type.ModelId is not null);
        bool allConstant = staticSections.All(s => s.ConstantText is not null);

        // A breakpoint that falls short costs nothing, a missing one loses the cache: leave them out only for the
        // prefixes TL2003 reports (a confirmed minimum, a tokenizer count short even with Claude's margin, every
        // static section constant), by the same decision over the same parts, prompt files and catalog.
        bool knownShort = CacheableLength.IsStaticPrefixKnownShort(
            model,
            allConstant && type.EveryStaticSectionConstant ? PromptSections.ConstantStaticPrefix(type.ConstantStaticParts, FileText) : null,
            out _,
            out _);

        return new CachedPromptType(
            type.Namespace,
            type.TypeKeyword,
            type.Name,
            type.TypeParameters,
            type.IsStatic,
            type.ModelId,
            count.Value,
            estimate,
            Hash(staticText),
            allConstant,
            !knownShort,
            type.StaticCacheOneHour,
            // No Anthropic adapter on a prompt for another provider's model; without a model, any may be used.
            model is not null ? model.Provider == ModelProvider.Anthropic : type.ModelId is null || type.ModelId.StartsWith("claude", System.StringComparison.OrdinalIgnoreCase),
            new EquatableArray<PromptSection>(sections));
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

        string name = Identifier(member.Name);
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
            return new PromptSection(member.Name, stability, expression, SectionKind.String, constantText, IsStaticMember: member.IsStatic);
        }

        if (IsText(valueType))
        {
            return new PromptSection(member.Name, stability, expression, SectionKind.Formattable, null, IsStaticMember: member.IsStatic);
        }

        var collection = ElementType(valueType) switch
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
        return collection is null ? null : collection with { IsStaticMember = member.IsStatic, IsImmutableArray = IsImmutableArray(valueType) };
    }

    /// <summary>Whether the type is <c>System.Collections.Immutable.ImmutableArray&lt;T&gt;</c>, which may be default (uninitialised).</summary>
    private static bool IsImmutableArray(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "ImmutableArray", Arity: 1, IsValueType: true } named
        && named.ContainingNamespace.ToDisplayString() == "System.Collections.Immutable";

    /// <summary>A name as C# code writes it: a keyword used as a name (<c>class</c>) escaped (<c>@class</c>).</summary>
    private static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A namespace as C# code writes it, each keyword part escaped: <c>@event.Prompts</c>.</summary>
    private static string Namespace(INamespaceSymbol ns) =>
        ns.ContainingNamespace is { IsGlobalNamespace: false } parent ? Namespace(parent) + "." + Identifier(ns.Name) : Identifier(ns.Name);

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
