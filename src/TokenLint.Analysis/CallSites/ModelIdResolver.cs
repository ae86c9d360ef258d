using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Turns the expression that gives a model id into the id: a literal, a constant, a member of an SDK's model enum
/// (Anthropic's <c>Model</c>), or one of those reached through locals and fields. Anything else is unknown.
/// </summary>
public static class ModelIdResolver
{
    /// <summary>The model id, reading <paramref name="catalog"/> only for an SDK enum member (whose name the catalog translates).</summary>
    internal static ModelReference? Resolve(IOperation? expression, System.Lazy<ModelCatalog> catalog, SdkTypes types, ModelProvider provider, ServiceKind service, bool shared)
    {
        if (expression is null)
        {
            return null;
        }

        var operation = ValueTracer.Unwrap(expression);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            if (operation is IFieldReferenceOperation { Field: { } enumField }
                && enumField.ContainingType is { TypeKind: TypeKind.Enum } enumType
                && types.IsModelEnum(enumType))
            {
                // Unknown enum members (a newer SDK) stay unknown rather than guessed.
                var model = catalog.Value.Find(enumField.Name);
                return model is null ? null : new ModelReference(model.Id, operation.Syntax, isEnumMember: true, shared, provider, service);
            }

            if (operation.ConstantValue is { HasValue: true, Value: string id })
            {
                return new ModelReference(id, ConstantSource(operation, ref shared), isEnumMember: false, shared, provider, service);
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var value, out bool isShared))
            {
                return null;
            }

            shared |= isShared;
            operation = ValueTracer.Unwrap(value);
        }

        return null;
    }

    /// <summary>The string literal that spells a constant, when a fix could rewrite it in this tree.</summary>
    private static SyntaxNode? ConstantSource(IOperation operation, ref bool shared)
    {
        switch (operation)
        {
            case ILiteralOperation literal:
                return literal.Syntax;
            case IFieldReferenceOperation { Field: { IsConst: true } field }:
                shared = true;
                return LiteralOf(field, operation.Syntax.SyntaxTree);
            case ILocalReferenceOperation { Local: { IsConst: true } local }:
                shared = true;
                return LiteralOf(local, operation.Syntax.SyntaxTree);
            default:
                return null;
        }
    }

    private static SyntaxNode? LiteralOf(ISymbol constant, SyntaxTree tree) =>
        constant.DeclaringSyntaxReferences.Length == 1
        && constant.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax literal }
        && literal.SyntaxTree == tree
            ? literal
            : null;
}
