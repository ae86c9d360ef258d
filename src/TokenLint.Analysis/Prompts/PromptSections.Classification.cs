using TokenLint.Analysis.CallSites;
using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.Prompts;

/// <summary>What the builder makes of a <c>[PromptSection]</c> member, and why it leaves one out (TL9105).</summary>
public static partial class PromptSections
{
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
                when NamespaceNames.Is(pair.ContainingNamespace, "System.Collections.Generic"):
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
        && NamespaceNames.Is(named.ContainingNamespace, "System.Collections.Immutable");

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
            || underlying.AllInterfaces.Any(i => i.Name == "IFormattable" && NamespaceNames.Is(i.ContainingNamespace, "System"));
    }

    /// <summary>A task, a value task or an async stream (nullable or not): values only awaiting gives.</summary>
    private static bool IsAwaitable(ITypeSymbol type)
    {
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        return underlying is INamedTypeSymbol named
            && ((named.Name is "Task" or "ValueTask" && NamespaceNames.Is(named.ContainingNamespace, "System.Threading.Tasks"))
                || (named.Name == "IAsyncEnumerable" && NamespaceNames.Is(named.ContainingNamespace, "System.Collections.Generic")));
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
}
