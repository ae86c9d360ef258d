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
        // Each file's text is searched for the attribute's name once (PromptTypeSearch says why not
        // ForAttributeWithMetadataName); an unedited file is the same tree object in the next run, so its result stays.
        var files = context.CompilationProvider
            .SelectMany(static (compilation, _) => compilation.SyntaxTrees)
            .Select(static (tree, cancellationToken) => new FileMention(tree, PromptTypeSearch.Mentions(tree, PromptTypeSearch.AttributeName, cancellationToken)))
            .WithTrackingName(TrackingNames.FileMentions);

        // Global aliases of the attribute (global using Prompt = TokenLint.CachedPromptAttribute;), declared in a
        // file that names it and usable in any file: such files are searched for the alias too.
        var globalAliases = files
            .Where(static file => file.NamesAttribute)
            .SelectMany(static (file, cancellationToken) => PromptTypeSearch.GlobalAliases(file.Tree, cancellationToken))
            .Collect()
            .Select(static (all, _) => all.IsEmpty ? EquatableArray<string>.Empty : new EquatableArray<string>(all.Distinct(System.StringComparer.Ordinal).OrderBy(name => name, System.StringComparer.Ordinal).ToImmutableArray()));

        var candidateFiles = files
            .Combine(globalAliases)
            .Where(static pair => pair.Left.NamesAttribute || pair.Right.Items.Any(alias => PromptTypeSearch.Mentions(pair.Left.Tree, alias, CancellationToken.None)))
            .Select(static (pair, _) => pair.Left.Tree);

        var promptTypes = candidateFiles
            .Combine(context.CompilationProvider)
            .SelectMany(static (pair, cancellationToken) => PromptTypeSearch.AttributedTypes(pair.Left, pair.Right, cancellationToken)
                .Select(found => Describe(found.Declaration, found.Type, found.Attribute, found.Model, cancellationToken))
                .ToImmutableArray())
            .Where(static type => type is not null)
            .WithTrackingName(TrackingNames.PromptTypes);

        // Every other input is read only once a [CachedPrompt] type exists: a project without one pays for the
        // attribute search alone, with no compilation lookup, option, AdditionalFile, catalog or tokenizer. The
        // steps carry reference types only (no bool, no struct), whose generic pipeline code the compiler process
        // shares instead of compiling anew for each value type.
        var allPromptTypes = promptTypes.Collect();
        var optionsOnceNeeded = context.AnalyzerConfigOptionsProvider
            .Combine(allPromptTypes)
            .Select(static (pair, _) => pair.Right.IsEmpty ? null : pair.Left)
            .WithTrackingName(TrackingNames.OptionsOnceNeeded);

        // The prompt files some [PromptFile] names: only those AdditionalFiles are read, and only their path and
        // text flow on, so that editing any other AdditionalFile regenerates nothing.
        var referencedPaths = promptTypes
            .Select(static (type, _) => type!.PromptFilePaths)
            .Collect()
            .Select(static (all, _) => all.IsEmpty ? EquatableArray<string>.Empty : new EquatableArray<string>(all.SelectMany(paths => paths).Distinct(System.StringComparer.Ordinal).OrderBy(path => path, System.StringComparer.Ordinal).ToImmutableArray()))
            .WithTrackingName(TrackingNames.ReferencedPromptFiles);

        var promptFiles = context.AdditionalTextsProvider
            .Combine(referencedPaths)
            .Select(static (pair, cancellationToken) => ReadPromptFile(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.PromptFileTexts)
            .Collect()
            .Select(static (all, _) => all.IsEmpty ? EquatableArray<PromptFileText>.Empty : new EquatableArray<PromptFileText>(all.SelectMany(texts => texts).ToImmutableArray()))
            .WithTrackingName(TrackingNames.PromptFiles);

        // The user's catalog override (TokenLintModelCatalog), the same files TL2003 reads, as text.
        var catalogOverrides = context.AdditionalTextsProvider
            .Combine(optionsOnceNeeded)
            .Select(static (pair, cancellationToken) => pair.Right is { } options && pair.Left.Path is not null && ModelCatalogProvider.IsCatalogOverride(pair.Left.Path, options.GetOptions(pair.Left))
                ? pair.Left.GetText(cancellationToken)?.ToString()
                : null)
            .WithTrackingName(TrackingNames.ModelCatalogOverrideTexts)
            .Collect()
            .Select(static (all, _) => all.IsEmpty ? EquatableArray<string>.Empty : new EquatableArray<string>(all.Where(text => text is not null).Select(text => text!).ToImmutableArray()))
            .WithTrackingName(TrackingNames.ModelCatalogOverrides);

        // Each type keeps only its own files, so that a file edit leaves the other types unchanged.
        var resolved = promptTypes
            .Combine(promptFiles)
            .Select(static (pair, _) => new PromptTypeWithFiles(pair.Left!, OwnFiles(pair.Left!, pair.Right)))
            .WithTrackingName(TrackingNames.PromptTypesWithFiles)
            .Combine(catalogOverrides)
            .Select(static (pair, _) => Resolve(pair.Left.Type, pair.Left.Files, pair.Right))
            .WithTrackingName(TrackingNames.ResolvedPromptTypes);

        // A small equatable record, so that edits elsewhere in the compilation compare equal and leave the output cached.
        var targets = context.CompilationProvider
            .Combine(allPromptTypes)
            .Select(static (pair, _) => pair.Right.IsEmpty ? EmitTargets.None : EmitTargets.For(pair.Left))
            .WithTrackingName(TrackingNames.EmitTargets);

        var withAdapters = resolved
            .Combine(targets)
            .WithTrackingName(TrackingNames.PromptTypesWithAdapters);

        context.RegisterSourceOutput(withAdapters, static (output, pair) =>
            output.AddSource(pair.Left.HintName, CachedPromptEmitter.Emit(pair.Left, pair.Right)));
    }

    private static CachedPromptDeclaration? Describe(TypeDeclarationSyntax declaration, INamedTypeSymbol type, AttributeData cachedPromptAttribute, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (!IsFirstAttributedDeclaration(declaration, type, cachedPromptAttribute, cancellationToken))
        {
            return null;
        }

        string? modelId = cachedPromptAttribute.NamedArguments.FirstOrDefault(a => a.Key == "Model").Value.Value as string;
        bool staticCacheOneHour = cachedPromptAttribute.NamedArguments.FirstOrDefault(a => a.Key == "StaticCacheTtl").Value.Value is PromptSections.CacheTtlOneHour;
        var compilation = semanticModel.Compilation;
        var sectionAttribute = compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
        var promptFileAttribute = compilation.GetTypeByMetadataName(PromptSections.PromptFileAttributeName);
        // Null without Microsoft.Extensions.AI: then no section is a tool list.
        var aiTool = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.AITool");
        var sections = new List<(int? Order, PromptSection Section)>();
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
                sections.Add((order, section));
            }
        }

        // Prompt files come after the members of equal Order (PromptSections.InLayoutOrder); each one's text
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
            sections.Add((order, new PromptSection(path, PromptSections.Static, constant, PromptSectionKind.String, null, FilePath: path)));
        }

        // Static, then session, then volatile; within one stability, in layout order (OrderBy is stable).
        var ordered = PromptSections.InLayoutOrder(sections).OrderBy(s => s.Stability).ToImmutableArray();
        bool everyStaticSectionConstant = sectionAttribute is not null && PromptSections.ConstantStaticParts(type, sectionAttribute, promptFileAttribute, cancellationToken) is not null;
        return new CachedPromptDeclaration(
            type.ContainingNamespace.IsGlobalNamespace ? null : Namespace(type.ContainingNamespace),
            Keyword(type),
            Identifier(type.Name),
            type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => Identifier(p.Name))) + ">",
            type.IsStatic,
            modelId,
            staticCacheOneHour,
            new EquatableArray<PromptSection>(ordered),
            everyStaticSectionConstant,
            new EquatableArray<string>(paths.Distinct(System.StringComparer.Ordinal).ToImmutableArray()));
    }

    /// <summary>
    /// A type whose partial declarations each carry [CachedPrompt] (CS0579, broken code) is seen once per
    /// declaration: build it from the first only, or two outputs with one hint name would fail the whole generator.
    /// </summary>
    private static bool IsFirstAttributedDeclaration(TypeDeclarationSyntax declaration, INamedTypeSymbol type, AttributeData cachedPromptAttribute, CancellationToken cancellationToken)
    {
        var cachedPrompt = cachedPromptAttribute.AttributeClass;
        var first = type.GetAttributes()
            .Where(attribute => SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, cachedPrompt) && attribute.ApplicationSyntaxReference is not null)
            .Select(attribute => attribute.ApplicationSyntaxReference!.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>())
            .FirstOrDefault();
        return first is null || first == declaration;
    }

    /// <summary>The section texts of the prompt files some <c>[PromptFile]</c> names that this AdditionalFile is; its text is read only then.</summary>
    private static EquatableArray<PromptFileText> ReadPromptFile(AdditionalText file, EquatableArray<string> referencedPaths, CancellationToken cancellationToken)
    {
        if (file.Path is null || referencedPaths.Items.IsEmpty)
        {
            return EquatableArray<PromptFileText>.Empty;
        }

        var matched = referencedPaths.Where(path => PromptSections.PromptFileMatches(file.Path, path)).ToList();
        if (matched.Count == 0)
        {
            return EquatableArray<PromptFileText>.Empty;
        }

        // A match without usable text (unreadable, or too large) is kept with no text: the first match decides, as
        // for TL2003 and TL9104, and the section is then left out rather than taken from a later match.
        string? sectionText = file.GetText(cancellationToken) is { Length: <= PromptSections.MaxPromptFileLength } text
            ? PromptSections.PromptFileSectionText(text.ToString())
            : null;
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
        string staticText = PromptSections.StaticPrefix(staticSections.Select(s => s.ConstantText));

        var catalog = catalogOverrides.Items.IsEmpty ? ModelCatalog.BuiltIn : ModelCatalogProvider.WithOverrides(catalogOverrides);
        var model = type.ModelId is null ? null : catalog.Find(type.ModelId);
        var count = TokenCounter.Count(staticText, TokenCounter.EncodingFor(model?.Id ?? type.ModelId));
        // Only OpenAI's tokenizers are public: any other model's count is the o200k_base count, an estimate.
        bool estimate = count.IsEstimate || (model is not null ? model.Provider != ModelProvider.OpenAI : type.ModelId is not null);
        bool allConstant = staticSections.All(s => s.ConstantText is not null);

        // A breakpoint that falls short costs nothing, a missing one loses the cache: leave them out only for the
        // prefixes TL2003 reports (a confirmed minimum, a tokenizer count short even with Claude's margin, every
        // static section constant), by the same decision over the same text: the sections in the one layout order,
        // joined by the one function (PromptSections.InLayoutOrder, StaticPrefix), with the same prompt files and catalog.
        bool knownShort = CacheableLength.IsStaticPrefixKnownShort(model, allConstant && type.EveryStaticSectionConstant ? staticText : null, out _, out _);

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
            type.ModelId is null || catalog.ProviderOf(type.ModelId) == ModelProvider.Anthropic,
            new EquatableArray<PromptSection>(sections));
    }

    /// <summary>
    /// The section a member is, as <see cref="PromptSections.Classify"/> decides (the same decision TL9105 reports
    /// from); null for a member the builder cannot read, which is left out. A member whose stability is out of range
    /// is kept with its kind: the emitter lays out Static, Session and Volatile only, so it is not sent either.
    /// </summary>
    private static PromptSection? Section(ISymbol member, int stability, INamedTypeSymbol? aiTool, CancellationToken cancellationToken)
    {
        var classification = PromptSections.Classify(member, stability, aiTool);
        if (classification.Kind is not { } kind)
        {
            return null;
        }

        string expression = Identifier(member.Name) + (classification.IsCall ? "()" : "");
        string? constantText = kind == PromptSectionKind.String && member is IFieldSymbol field ? PromptSections.ConstantText(field, cancellationToken) : null;
        return new PromptSection(
            member.Name,
            stability,
            expression,
            kind,
            constantText,
            classification.PairInput,
            classification.PairOutput,
            IsStaticMember: member.IsStatic,
            IsImmutableArray: classification.IsImmutableArray);
    }

    /// <summary>A name as C# code writes it: a keyword used as a name (<c>class</c>) escaped (<c>@class</c>).</summary>
    private static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A namespace as C# code writes it, each keyword part escaped: <c>@event.Prompts</c>.</summary>
    private static string Namespace(INamespaceSymbol ns) =>
        ns.ContainingNamespace is { IsGlobalNamespace: false } parent ? Namespace(parent) + "." + Identifier(ns.Name) : Identifier(ns.Name);

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
