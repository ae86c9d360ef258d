using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// What the generator and the analyzers read alike from <c>[CachedPrompt]</c> types: the attributes' names, a
/// section's stability and explicit order, and the text of a section known at build time.
/// </summary>
public static class PromptSections
{
    public const string CachedPromptAttributeName = "TokenLint.CachedPromptAttribute";
    public const string PromptSectionAttributeName = "TokenLint.PromptSectionAttribute";
    public const string PromptBudgetAttributeName = "TokenLint.PromptBudgetAttribute";
    public const string PromptFileAttributeName = "TokenLint.PromptFileAttribute";

    /// <summary>What the generated layout puts between two non-empty sections.</summary>
    public const string SectionSeparator = "\n\n";

    /// <summary>The values of <c>TokenLint.Stability</c>, which this assembly does not reference.</summary>
    public const int Static = 0;

    /// <summary><c>TokenLint.CacheTtl.OneHour</c>, the value of <c>[CachedPrompt(StaticCacheTtl = ...)]</c> for a 1-hour breakpoint.</summary>
    public const int CacheTtlOneHour = 1;

    /// <summary>Names of the stabilities by value, as written in code (<c>Stability.Static</c>).</summary>
    public static readonly string[] StabilityNames = { "Static", "Session", "Volatile" };

    /// <summary>
    /// Whether the generator can add its part to a type through this declaration: it is partial and not
    /// <c>file</c>-local (the generated part, in another file, would declare another type). The type must also be
    /// top-level and every declaration of it must qualify.
    /// </summary>
    public static bool CanExtend(TypeDeclarationSyntax declaration) =>
        declaration.Modifiers.Any(SyntaxKind.PartialKeyword) && !declaration.Modifiers.Any(SyntaxKind.FileKeyword);

    /// <summary>
    /// Whether the generator builds a <c>[CachedPrompt]</c> type: top-level, and every declaration of it one it
    /// <see cref="CanExtend"/>. The sections of any other type are read by no builder (TL9101 reports the type).
    /// </summary>
    public static bool GetsBuilder(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.ContainingType is not null)
        {
            return false;
        }

        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
        return declarations.Count > 0 && declarations.All(CanExtend);
    }

    /// <summary>A <c>[PromptSection(stability, Order = n)]</c>'s stability, and its order when one is given.</summary>
    public static (int Stability, int? Order) Read(AttributeData attribute) =>
        (attribute.ConstructorArguments.FirstOrDefault().Value is int stability ? stability : Static,
         attribute.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value as int?);

    /// <summary>A <c>[PromptFile(path, Order = n)]</c>'s path (null in broken code), and its order when one is given.</summary>
    public static (string? Path, int? Order) ReadFile(AttributeData attribute) =>
        (attribute.ConstructorArguments.FirstOrDefault().Value as string,
         attribute.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value as int?);

    /// <summary>
    /// What the builder makes of a <c>[PromptSection]</c> member with <paramref name="stability"/>: text (a string or
    /// a value that formats itself), lines (a collection of strings), few-shot pairs (a collection of
    /// <c>(string, string)</c> tuples or <c>KeyValuePair&lt;string, string&gt;</c>), or a static tool list (a collection
    /// of <paramref name="aiToolType"/>s, null without Microsoft.Extensions.AI); read from a field, a property with a
    /// getter, or an ordinary method with no parameters, no type parameters and a value returned. Anything else is left
    /// out, with the reason TL9105 gives.
    /// </summary>
    public static SectionClassification Classify(ISymbol member, int stability, INamedTypeSymbol? aiToolType)
    {
        // A valid stability is checked last for readable members: their kind stays known, only no part holds them.
        string? stabilityReason = stability >= 0 && stability < StabilityNames.Length
            ? null
            : "has Stability value " + stability.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", which is not Static, Session or Volatile: no part of the prompt holds it";

        if (!member.CanBeReferencedByName)
        {
            return LeftOut(stabilityReason ?? UnnamedMemberReason(member));
        }

        var (valueType, isCall, shapeReason) = member switch
        {
            IFieldSymbol field => (field.Type, false, null),
            IPropertySymbol { Parameters.Length: 0, GetMethod: not null } property => (property.Type, false, null),
            IPropertySymbol { Parameters.Length: 0 } => (null, false, "has no getter: the builder cannot read a write-only property"),
            IMethodSymbol { MethodKind: MethodKind.Ordinary, Parameters.Length: 0, TypeParameters.Length: 0, ReturnsVoid: false, ReturnsByRef: false, ReturnsByRefReadonly: false } method =>
                (method.ReturnType, true, null),
            IMethodSymbol { MethodKind: MethodKind.Ordinary } method => (null, false, MethodReason(method)),
            _ => ((ITypeSymbol?)null, false, (string?)"is not a field, property or method: the builder reads sections from those"),
        };

        if (valueType is null)
        {
            return LeftOut(stabilityReason ?? shapeReason);
        }

        // A ref struct (Span<char>, a ref struct that formats itself) cannot be boxed or enumerated by the builder.
        if (valueType.IsRefLikeType)
        {
            return LeftOut(stabilityReason ?? "is a ref struct (" + valueType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "): the builder cannot hold or format it; return a string");
        }

        if (valueType.SpecialType == SpecialType.System_String)
        {
            return new SectionClassification(PromptSectionKind.String, stabilityReason, isCall);
        }

        if (IsText(valueType))
        {
            return new SectionClassification(PromptSectionKind.Formattable, stabilityReason, isCall);
        }

        bool immutableArray = IsImmutableArray(valueType);
        switch (ElementType(valueType))
        {
            case { SpecialType: SpecialType.System_String }:
                return new SectionClassification(PromptSectionKind.Lines, stabilityReason, isCall, immutableArray);
            case INamedTypeSymbol { IsTupleType: true, TupleElements: [{ Type.SpecialType: SpecialType.System_String }, { Type.SpecialType: SpecialType.System_String }] }:
                return new SectionClassification(PromptSectionKind.Pairs, stabilityReason, isCall, immutableArray, "Item1", "Item2");
            case INamedTypeSymbol { Name: "KeyValuePair", TypeArguments: [{ SpecialType: SpecialType.System_String }, { SpecialType: SpecialType.System_String }] } pair
                when pair.ContainingNamespace.ToDisplayString() == "System.Collections.Generic":
                return new SectionClassification(PromptSectionKind.Pairs, stabilityReason, isCall, immutableArray, "Key", "Value");
            // Tools go before the system prompt in the provider's prefix: only a static tool list keeps it cached.
            case { } element when aiToolType is not null && IsOrDerivesFrom(element, aiToolType):
                return stability == Static
                    ? new SectionClassification(PromptSectionKind.Tools, null, isCall, immutableArray)
                    : LeftOut(stabilityReason ?? "is a tool list in a " + StabilityNames[stability] + " section: only static tool lists are sent, in a stable order");
        }

        if (ContainsErrorType(valueType))
        {
            return LeftOut(null);
        }

        string described = valueType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        string what = isCall ? "returns " + described : "is " + Article(described) + " " + described;
        return LeftOut(stabilityReason ?? (IsAwaitable(valueType)
            ? what + ": the builder cannot await it; pass the loaded text in"
            : what + ": the builder lays out text, lists of strings, few-shot pairs and static tool lists"));
    }

    private static SectionClassification LeftOut(string? reason) => new(null, reason);

    private static string UnnamedMemberReason(ISymbol member) => member switch
    {
        IPropertySymbol { IsIndexer: true } => "is an indexer: the builder reads a section without arguments",
        IPropertySymbol { ExplicitInterfaceImplementations.Length: > 0 } or IMethodSymbol { MethodKind: MethodKind.ExplicitInterfaceImplementation } =>
            "is an explicit interface implementation: the builder cannot read it by name; make the section an ordinary member",
        IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet } => "is a property accessor: put [PromptSection] on the property",
        _ => "cannot be read by name: the builder reads sections from fields, properties and methods",
    };

    private static string MethodReason(IMethodSymbol method)
    {
        if (method.Parameters.Length > 0)
        {
            return "takes parameters: the builder calls a section method with none; pass the values in through properties";
        }

        if (method.TypeParameters.Length > 0)
        {
            return "is generic: the builder calls a section method without type arguments";
        }

        return method.ReturnsVoid
            ? "returns void: the builder lays out the value a section method returns"
            : "returns by reference: the builder calls section methods that return a value";
    }

    /// <summary>Whether the type is <c>System.Collections.Immutable.ImmutableArray&lt;T&gt;</c>, which may be default (uninitialised).</summary>
    private static bool IsImmutableArray(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "ImmutableArray", Arity: 1, IsValueType: true } named
        && named.ContainingNamespace.ToDisplayString() == "System.Collections.Immutable";

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

    /// <summary>A task, a value task or an async stream (nullable or not): values only awaiting gives.</summary>
    private static bool IsAwaitable(ITypeSymbol type)
    {
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        return underlying is INamedTypeSymbol named
            && (named.Name, named.ContainingNamespace.ToDisplayString()) is ("Task" or "ValueTask", "System.Threading.Tasks") or ("IAsyncEnumerable", "System.Collections.Generic");
    }

    /// <summary>Whether broken code left a type unknown somewhere in it (<c>List&lt;Unknown&gt;</c>): the compiler reports that.</summary>
    private static bool ContainsErrorType(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => true,
        IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
        IPointerTypeSymbol pointer => ContainsErrorType(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsErrorType),
        _ => false,
    };

    private static string Article(string noun) => noun.Length > 0 && "AEIOUaeiou".IndexOf(noun[0]) >= 0 ? "an" : "a";

    /// <summary>
    /// A <c>[CachedPrompt]</c> type's static sections known at build time, in the order the generator lays them out:
    /// by Order, then the members in declaration order, then the <c>[PromptFile]</c>s in attribute order. Null when
    /// any static member is anything but text known at build time: a property, a method, a field initialised at
    /// run time, a list.
    /// </summary>
    public static IReadOnlyList<ConstantStaticPart>? ConstantStaticParts(
        INamedTypeSymbol type, INamedTypeSymbol sectionAttribute, INamedTypeSymbol? promptFileAttribute, CancellationToken cancellationToken)
    {
        var parts = new List<(int Order, int Position, ConstantStaticPart Part)>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sectionAttribute));
            if (attribute is null || Read(attribute) is not (Static, var order))
            {
                continue;
            }

            if (member is not IFieldSymbol { Type.SpecialType: SpecialType.System_String } field
                || ConstantText(field, cancellationToken) is not { } text)
            {
                return null;
            }

            parts.Add((order ?? int.MaxValue, parts.Count, new ConstantStaticPart(text, null)));
        }

        foreach (var (path, order) in PromptFiles(type, promptFileAttribute))
        {
            parts.Add((order ?? int.MaxValue, parts.Count, new ConstantStaticPart(null, path)));
        }

        return parts.OrderBy(p => p.Order).ThenBy(p => p.Position).Select(p => p.Part).ToList();
    }

    /// <summary>The <c>[PromptFile]</c>s of a type with a path, in attribute order.</summary>
    public static IEnumerable<(string Path, int? Order)> PromptFiles(INamedTypeSymbol type, INamedTypeSymbol? promptFileAttribute)
    {
        if (promptFileAttribute is null)
        {
            yield break;
        }

        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, promptFileAttribute) && ReadFile(attribute) is ({ } path, var order))
            {
                yield return (path, order);
            }
        }
    }

    /// <summary>
    /// The static prefix as the generator lays it out: the parts' texts, a prompt file's as
    /// <paramref name="promptFileText"/> gives it (a file it does not find is left out, as the generator leaves it
    /// out), non-empty texts joined by <see cref="SectionSeparator"/>.
    /// </summary>
    public static string ConstantStaticPrefix(IEnumerable<ConstantStaticPart> parts, Func<string, string?> promptFileText) =>
        string.Join(
            SectionSeparator,
            parts.Select(p => p.Text ?? promptFileText(p.FilePath!)).Where(text => !string.IsNullOrEmpty(text)));

    /// <summary>
    /// Whether an AdditionalFile at <paramref name="additionalFilePath"/> is the prompt file a <c>[PromptFile]</c>
    /// names with <paramref name="relativePath"/>: the full path ends with the relative path, segment by segment,
    /// with <c>/</c> and <c>\</c> alike, <c>.</c> segments and leading <c>..</c> segments ignored; the file name is compared exactly, folder
    /// names ignoring case (a Windows checkout may spell a folder differently).
    /// </summary>
    public static bool PromptFileMatches(string additionalFilePath, string relativePath)
    {
        // A path that leaves the project (../Shared/policy.prompt.md) matches on the part after the "..".
        var wanted = Segments(relativePath).SkipWhile(segment => segment == "..").ToArray();
        var actual = Segments(additionalFilePath);
        if (wanted.Length == 0 || wanted.Length > actual.Length)
        {
            return false;
        }

        int offset = actual.Length - wanted.Length;
        for (int i = 0; i < wanted.Length; i++)
        {
            var comparison = i == wanted.Length - 1 ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            if (!string.Equals(wanted[i], actual[offset + i], comparison))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first AdditionalFile that <see cref="PromptFileMatches"/> the relative path, if any.</summary>
    public static AdditionalText? FindPromptFile(ImmutableArray<AdditionalText> additionalFiles, string relativePath) =>
        additionalFiles.FirstOrDefault(file => file.Path is { } path && PromptFileMatches(path, relativePath));

    /// <summary>
    /// The longest prompt file a builder embeds, in characters. A constant much larger fails the build at emit
    /// (CS8103, the assembly's string heap is full), and a prompt this size belongs in a file loaded at run time.
    /// </summary>
    public const int MaxPromptFileLength = 1_000_000;

    /// <summary>
    /// The section text of the prompt file a <c>[PromptFile]</c> names, or null when no AdditionalFile matches, it has
    /// no text, or it is longer than <see cref="MaxPromptFileLength"/> (the builder leaves it out; TL9104 says why).
    /// </summary>
    public static string? PromptFileSectionText(ImmutableArray<AdditionalText> additionalFiles, string relativePath, CancellationToken cancellationToken) =>
        FindPromptFile(additionalFiles, relativePath)?.GetText(cancellationToken) is { Length: <= MaxPromptFileLength } text ? PromptFileSectionText(text.ToString()) : null;

    private static string[] Segments(string path) =>
        path.Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries).Where(segment => segment != ".").ToArray();

    /// <summary>
    /// A prompt file's text as a section: <c>\r\n</c> line breaks made <c>\n</c>, so that the hash is the same on a
    /// Windows and a Linux checkout, and one final line break dropped, as a raw string literal drops it.
    /// </summary>
    public static string PromptFileSectionText(string fileText)
    {
        string text = fileText.Replace("\r\n", "\n");
        return text.EndsWith("\n", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;
    }

    /// <summary>
    /// The text of a string section known at build time: a <c>const</c>, or a <c>static readonly</c> field
    /// initialised with a literal and not assigned again in a static constructor. Null for anything computed.
    /// </summary>
    public static string? ConstantText(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (field.IsConst)
        {
            return field.ConstantValue as string;
        }

        return field.IsStatic && field.IsReadOnly && field.DeclaringSyntaxReferences.Length == 1
            && field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax { Token.Value: string text } }
            && !IsAssignedInStaticConstructor(field, cancellationToken)
            ? text
            : null;
    }

    /// <summary>
    /// Whether a static constructor of the field's type may write the field (the only place besides its initialiser
    /// where a <c>static readonly</c> field can be set): its name as an assignment's target, or passed by <c>ref</c> or
    /// <c>out</c>. Then the initialiser is not the value the prompt sends.
    /// </summary>
    private static bool IsAssignedInStaticConstructor(IFieldSymbol field, CancellationToken cancellationToken)
    {
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax type)
            {
                continue;
            }

            foreach (var constructor in type.Members.OfType<ConstructorDeclarationSyntax>().Where(c => c.Modifiers.Any(SyntaxKind.StaticKeyword)))
            {
                foreach (var name in constructor.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == field.Name))
                {
                    // Type.Field and this.Field count as the name itself.
                    SyntaxNode target = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                    // Written through an argument, an assignment, or a ref to it (ref string r = ref S; r = "b";).
                    if (target.Parent is ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword }
                        || target.Parent is RefExpressionSyntax
                        || target.Ancestors().OfType<AssignmentExpressionSyntax>().Any(assignment => assignment.Left.Span.Contains(target.Span)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}

/// <summary>
/// One static section known at build time: <see cref="Text"/> for a constant member, <see cref="FilePath"/> (the
/// path a <c>[PromptFile]</c> gives) for a prompt file, whose text comes from the AdditionalFiles.
/// </summary>
public sealed record ConstantStaticPart(string? Text, string? FilePath);
