using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Follows a value back through locals, fields and get-only auto-properties of the analysed syntax tree to the one
/// expression that produced it. Anything with more than one possible value, or defined in another tree, is
/// unknown: rules built on it stay quiet rather than guess.
/// </summary>
public static class ValueTracer
{
    /// <summary>How many hops (local → field → creation …) a trace may take.</summary>
    public const int MaxDepth = 8;

    /// <summary>Strips conversions, parentheses and the implicit conversions SDKs use for model ids.</summary>
    public static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                case IArgumentOperation argument:
                    operation = argument.Value;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// For a reference to a local, field or auto-property, the single expression assigned to it in this tree.
    /// <paramref name="shared"/> is true when the value is also read elsewhere (a field, or a local read twice).
    /// </summary>
    public static bool TryGetSingleValue(IOperation reference, out IOperation value, out bool shared)
    {
        value = null!;
        shared = false;
        var semanticModel = reference.SemanticModel;
        if (semanticModel is null)
        {
            return false;
        }

        switch (reference)
        {
            case ILocalReferenceOperation local:
                return TryGetLocalValue(local.Local, reference, semanticModel, out value, out shared);
            case IFieldReferenceOperation field when !field.Field.IsConst:
                return TryGetMemberValue(field.Field, field.Field.IsReadOnly || field.Field.DeclaredAccessibility == Accessibility.Private, semanticModel, out value, out shared);
            case IPropertyReferenceOperation property when IsGetOnlyAutoProperty(property.Property):
                return TryGetMemberValue(property.Property, canTrust: true, semanticModel, out value, out shared);
            default:
                return false;
        }
    }

    /// <summary>
    /// For a field or get-only auto-property declared in another file of the compilation (a <c>Prompts</c> class of
    /// <c>static readonly</c> texts), the single expression assigned to it, read with that file's semantic model.
    /// </summary>
    public static bool TryGetMemberValueInItsFile(IOperation reference, out IOperation value)
    {
        value = null!;
        var (member, canTrust) = reference switch
        {
            IFieldReferenceOperation { Field: { IsConst: false } field } => ((ISymbol)field, field.IsReadOnly),
            IPropertyReferenceOperation { Property: { } property } when IsGetOnlyAutoProperty(property) => (property, true),
            _ => (null, false),
        };

        if (member is null || !canTrust || reference.SemanticModel is not { } semanticModel || member.DeclaringSyntaxReferences.Length != 1
            || member.DeclaringSyntaxReferences[0].SyntaxTree is not { } tree || tree == semanticModel.SyntaxTree
            || !semanticModel.Compilation.ContainsSyntaxTree(tree))
        {
            return false;
        }

        // RS1030: the driver shares semantic models through the compilation's provider; only the prompt texts a
        // model call reads are looked up this way.
#pragma warning disable RS1030
        var declarationModel = semanticModel.Compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
        return TryGetMemberValue(member, canTrust, declarationModel, out value, out _);
    }

    /// <summary>The member, function or top-level program a local lives in: where its other reads and writes can be.</summary>
    public static SyntaxNode? EnclosingBody(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax
                or AnonymousFunctionExpressionSyntax or PropertyDeclarationSyntax or FieldDeclarationSyntax or CompilationUnitSyntax)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>
    /// Every identifier in <paramref name="scope"/> that binds to <paramref name="symbol"/>. Matching the name
    /// text first keeps the semantic queries to the few identifiers that could be it.
    /// </summary>
    public static IEnumerable<IdentifierNameSyntax> ReferencesTo(ISymbol symbol, SyntaxNode scope, SemanticModel semanticModel)
    {
        foreach (var identifier in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText == symbol.Name
                && SymbolEqualityComparer.Default.Equals(semanticModel.GetSymbolInfo(identifier).Symbol?.OriginalDefinition, symbol.OriginalDefinition))
            {
                yield return identifier;
            }
        }
    }

    /// <summary>True when <paramref name="identifier"/> is written (assigned, incremented, passed by ref/out).</summary>
    public static bool IsWrite(ExpressionSyntax identifier, out ExpressionSyntax? assignedValue)
    {
        assignedValue = null;
        ExpressionSyntax target = identifier;
        if (identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier && access.Expression is ThisExpressionSyntax)
        {
            target = access;
        }

        switch (target.Parent)
        {
            case AssignmentExpressionSyntax assignment when assignment.Left == target:
                if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                {
                    assignedValue = assignment.Right;
                }

                return true;
            case ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None):
                return true;
            case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax:
                return true;
            default:
                return false;
        }
    }

    /// <summary><c>client.Dispose()</c> reads the value but sends nothing: it does not make a client shared.</summary>
    private static bool IsDisposal(IdentifierNameSyntax identifier)
    {
        ExpressionSyntax receiver = identifier.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } self && self.Name == identifier ? self : identifier;
        return receiver.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose" or "DisposeAsync" } access
            && access.Expression == receiver
            && access.Parent is InvocationExpressionSyntax;
    }

    private static bool TryGetLocalValue(ILocalSymbol local, IOperation reference, SemanticModel semanticModel, out IOperation value, out bool shared)
    {
        value = null!;
        shared = false;
        if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax declarator
            || declarator.SyntaxTree != semanticModel.SyntaxTree
            || EnclosingBody(declarator) is not { } body)
        {
            return false;
        }

        ExpressionSyntax? source = declarator.Initializer?.Value;
        int writes = 0, reads = 0;
        foreach (var identifier in ReferencesTo(local, body, semanticModel))
        {
            if (IsWrite(identifier, out var assigned))
            {
                writes++;
                source = writes == 1 && (declarator.Initializer is null || IsDefaultLiteral(declarator.Initializer.Value)) ? assigned : null;
            }
            else if (!IsDisposal(identifier))
            {
                reads++;
            }
        }

        shared = reads > 1;
        return TryGetOperation(source, semanticModel, out value);
    }

    /// <remarks>A member is shared when code outside its type can read it, or its type reads it more than once.</remarks>
    private static bool TryGetMemberValue(ISymbol member, bool canTrust, SemanticModel semanticModel, out IOperation value, out bool shared)
    {
        value = null!;
        shared = true;
        if (!canTrust || member.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = member.DeclaringSyntaxReferences[0].GetSyntax();
        var containingType = member.ContainingType;
        if (declaration.SyntaxTree != semanticModel.SyntaxTree
            || containingType.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != semanticModel.SyntaxTree))
        {
            return false;
        }

        ExpressionSyntax? source = declaration switch
        {
            VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
            PropertyDeclarationSyntax property => property.Initializer?.Value,
            _ => null,
        };

        int writes = 0, reads = 0;
        foreach (var typeReference in containingType.DeclaringSyntaxReferences)
        {
            foreach (var identifier in ReferencesTo(member, typeReference.GetSyntax(), semanticModel))
            {
                if (!IsWrite(identifier, out var assigned))
                {
                    reads += IsDisposal(identifier) ? 0 : 1;
                }
                else
                {
                    writes++;
                    source = writes == 1 && (source is null || IsDefaultLiteral(source)) ? assigned : null;
                    if (source is null)
                    {
                        return false;
                    }
                }
            }
        }

        shared = reads > 1 || member.DeclaredAccessibility != Accessibility.Private;
        return TryGetOperation(source, semanticModel, out value);
    }

    private static bool TryGetOperation(ExpressionSyntax? syntax, SemanticModel semanticModel, out IOperation value)
    {
        value = null!;
        if (syntax is null || IsDefaultLiteral(syntax) || syntax.SyntaxTree != semanticModel.SyntaxTree)
        {
            return false;
        }

        value = semanticModel.GetOperation(syntax)!;
        return value is not null;
    }

    private static bool IsDefaultLiteral(ExpressionSyntax syntax) =>
        syntax.IsKind(SyntaxKind.NullLiteralExpression) || syntax.IsKind(SyntaxKind.DefaultLiteralExpression) || syntax is DefaultExpressionSyntax;

    private static bool IsGetOnlyAutoProperty(IPropertySymbol property) =>
        property.SetMethod is null
        && property.DeclaringSyntaxReferences.Length == 1
        && property.DeclaringSyntaxReferences[0].GetSyntax() is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors }
        && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);
}
