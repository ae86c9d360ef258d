using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>An enumeration whose order is not guaranteed, found at the root of a sequence.</summary>
public sealed class UnorderedSource
{
    public UnorderedSource(IOperation operation, string description, ITypeSymbol? elementType)
    {
        Operation = operation;
        Description = description;
        ElementType = elementType;
    }

    /// <summary>The expression that enumerates in an unspecified order (<c>tools.Values</c>, <c>type.GetMethods()</c>).</summary>
    public IOperation Operation { get; }

    /// <summary>What it is, for messages: <c>Dictionary&lt;string, AITool&gt;.Values</c>.</summary>
    public string Description { get; }

    public ITypeSymbol? ElementType { get; }
}

/// <summary>
/// Follows a sequence back through LINQ operators, spreads, list constructors, locals and <c>foreach</c>-filled
/// lists to its source, and reports a source whose order the runtime does not guarantee: hash-based collections,
/// reflection listings, file-system listings. An <c>OrderBy</c> or <c>Sort</c> anywhere on the way settles it.
/// </summary>
public static class UnorderedEnumeration
{
    private static readonly string[] OrderingMethods = { "OrderBy", "OrderByDescending", "Order", "OrderDescending", "ThenBy", "ThenByDescending" };

    private static readonly string[] PassThroughMethods =
    {
        "Select", "Where", "ToList", "ToArray", "Cast", "OfType", "SelectMany", "AsEnumerable", "ToImmutableArray",
        "ToImmutableList", "Distinct", "DistinctBy", "Take", "Skip", "Concat", "Append", "Prepend", "ToReadOnlyCollection",
    };

    /// <summary>Enumerate in insertion order unless entries are removed: not guaranteed, but stable in practice.</summary>
    private static readonly string[] InsertionOrderedCollections =
    {
        "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
    };

    private static readonly string[] UnorderedCollections =
    {
        "System.Collections.Concurrent.ConcurrentDictionary`2", "System.Collections.Concurrent.ConcurrentBag`1",
        "System.Collections.Immutable.ImmutableHashSet`1", "System.Collections.Immutable.ImmutableDictionary`2",
        "System.Collections.Hashtable",
    };

    /// <param name="includeInsertionOrdered">Whether <c>Dictionary</c> and <c>HashSet</c> count as unordered.</param>
    public static UnorderedSource? Find(IOperation sequence, bool includeInsertionOrdered = true) => new Search(includeInsertionOrdered).Find(sequence, 0);

    private sealed class Search
    {
        private readonly bool _includeInsertionOrdered;

        public Search(bool includeInsertionOrdered)
        {
            _includeInsertionOrdered = includeInsertionOrdered;
        }

        public UnorderedSource? Find(IOperation sequence, int depth)
        {
            if (depth > ValueTracer.MaxDepth)
            {
                return null;
            }

            var operation = ValueTracer.Unwrap(sequence);
            switch (operation)
            {
                case IInvocationOperation invocation:
                    return FromInvocation(invocation, depth);

                case IPropertyReferenceOperation { Property.Name: "Values" or "Keys", Instance: { } owner } property when IsUnordered(owner.Type):
                    return new UnorderedSource(property, $"{Display(owner.Type!)}.{property.Property.Name}", ElementOf(property.Type));

                case ICollectionExpressionOperation collection:
                    return collection.Elements.OfType<ISpreadOperation>().Select(spread => Find(spread.Operand, depth + 1)).FirstOrDefault(found => found is not null);

                case IObjectCreationOperation { Arguments.Length: 1 } copy when copy.Arguments[0].Value.Type is { SpecialType: not SpecialType.System_Int32 }:
                    return Find(copy.Arguments[0].Value, depth + 1);

                case ILocalReferenceOperation local:
                    return FromLocal(local, depth);

                case IFieldReferenceOperation or IParameterReferenceOperation or IPropertyReferenceOperation when IsUnordered(operation.Type):
                    return new UnorderedSource(operation, $"a {Display(operation.Type!)}", ElementOf(operation.Type));

                default:
                    return null;
            }
        }

        private UnorderedSource? FromInvocation(IInvocationOperation invocation, int depth)
        {
            var method = invocation.TargetMethod;
            if (Array.IndexOf(OrderingMethods, method.Name) >= 0)
            {
                return null;
            }

            var containing = method.ContainingType;
            if (containing is { Name: "Type" } && NamespaceNames.Is(containing.ContainingNamespace, "System") && method.Name is "GetMethods" or "GetProperties" or "GetFields" or "GetMembers" or "GetEvents" or "GetNestedTypes")
            {
                return new UnorderedSource(invocation, $"Type.{method.Name}()", ElementOf(invocation.Type));
            }

            if (containing is { Name: "Assembly" } && NamespaceNames.Is(containing.ContainingNamespace, "System.Reflection") && method.Name is "GetTypes" or "GetExportedTypes")
            {
                return new UnorderedSource(invocation, $"Assembly.{method.Name}()", ElementOf(invocation.Type));
            }

            if (containing is { Name: "Directory" or "DirectoryInfo" } && NamespaceNames.Is(containing.ContainingNamespace, "System.IO")
                && (method.Name.StartsWith("Get", StringComparison.Ordinal) || method.Name.StartsWith("Enumerate", StringComparison.Ordinal)))
            {
                return new UnorderedSource(invocation, $"{containing.Name}.{method.Name}()", ElementOf(invocation.Type));
            }

            if (Array.IndexOf(PassThroughMethods, method.Name) >= 0 && invocation.Arguments.Length > 0 && (method.IsExtensionMethod || method.ReducedFrom is not null))
            {
                // Concat(a, b): either side may be the unordered one.
                return invocation.Arguments.Where(a => a.Value.Type is not null && ElementOf(a.Value.Type) is not null && a.Parameter?.Type.SpecialType != SpecialType.System_Int32)
                    .Select(a => Find(a.Value, depth + 1)).FirstOrDefault(found => found is not null);
            }

            return null;
        }

        /// <summary>A local list: its initializer, or the loops that fill it with <c>Add</c>; a <c>Sort</c> call orders it.</summary>
        private UnorderedSource? FromLocal(ILocalReferenceOperation local, int depth)
        {
            if (IsUnordered(local.Type))
            {
                return new UnorderedSource(local, $"a {Display(local.Type!)}", ElementOf(local.Type));
            }

            var semanticModel = local.SemanticModel;
            if (semanticModel is null
                || local.Local.DeclaringSyntaxReferences.Length != 1
                || ValueTracer.EnclosingBody(local.Local.DeclaringSyntaxReferences[0].GetSyntax()) is not { } body)
            {
                return null;
            }

            UnorderedSource? found = null;
            foreach (var identifier in ValueTracer.ReferencesTo(local.Local, body, semanticModel))
            {
                if (identifier.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } access || access.Expression != identifier)
                {
                    continue;
                }

                if (name == "Sort")
                {
                    return null;
                }

                if (name is "Add" or "AddRange" && access.Parent is InvocationExpressionSyntax call && semanticModel.GetOperation(call) is IInvocationOperation { Arguments.Length: 1 } add)
                {
                    found ??= name == "AddRange"
                        ? Find(add.Arguments[0].Value, depth + 1)
                        : call.FirstAncestorOrSelf<ForEachStatementSyntax>() is { } loop && semanticModel.GetOperation(loop.Expression) is { } enumerated
                            ? Find(enumerated, depth + 1)
                            : null;
                }
            }

            return found ?? (ValueTracer.TryGetSingleValue(local, out var value, out _) ? Find(value, depth + 1) : null);
        }

        private bool IsUnordered(ITypeSymbol? type) =>
            type is INamedTypeSymbol named
            && (Array.IndexOf(UnorderedCollections, MetadataName(named.OriginalDefinition)) >= 0
                || (_includeInsertionOrdered && Array.IndexOf(InsertionOrderedCollections, MetadataName(named.OriginalDefinition)) >= 0));
    }

    private static string MetadataName(INamedTypeSymbol type) =>
        (type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." : "") + type.MetadataName;

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>The element type of a sequence type (<c>T</c> of <c>IEnumerable&lt;T&gt;</c>).</summary>
    public static ITypeSymbol? ElementOf(ITypeSymbol? type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return array.ElementType;
        }

        if (type is INamedTypeSymbol named)
        {
            var enumerable = named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                ? named
                : named.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T);
            return enumerable?.TypeArguments[0];
        }

        return null;
    }
}
