using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analyzers;

/// <summary>
/// What a model request reads, for the redundant-call rules (TL5001, TL5002): the locals, parameters, fields and
/// properties its client and arguments are built from. A request that reads anything that can change by itself (a
/// method call, the clock, an await, a computed property) is <see cref="MayVary"/>, and those rules leave it alone.
/// </summary>
internal sealed class RequestInputs
{
    private RequestInputs(HashSet<ISymbol> symbols, HashSet<ISymbol> clients, bool mayVary)
    {
        Symbols = symbols;
        Clients = clients;
        MayVary = mayVary;
    }

    /// <summary>The symbols that only hold the client the call goes through: calling it changes no request.</summary>
    public IReadOnlyCollection<ISymbol> Clients { get; }

    /// <summary>The locals, parameters, fields and properties the request is built from.</summary>
    public IReadOnlyCollection<ISymbol> Symbols { get; }

    /// <summary>True when part of the request may differ between two sends whatever the code around does.</summary>
    public bool MayVary { get; }

    /// <summary>The receiver and written arguments of a call; cancellation tokens say nothing about the request.</summary>
    public static RequestInputs Of(IInvocationOperation call)
    {
        var arguments = call.Arguments.Where(a => a.ArgumentKind != ArgumentKind.DefaultValue && !IsCancellationToken(a.Value.Type)).ToList();
        var receiver = call.Instance;
        if (receiver is null && call.TargetMethod.IsExtensionMethod && arguments.Count > 0 && arguments[0].Parameter?.Ordinal == 0)
        {
            receiver = arguments[0].Value;
            arguments.RemoveAt(0);
        }

        var client = new Walker();
        client.Visit(receiver);
        var request = new Walker();
        foreach (var argument in arguments)
        {
            request.Visit(argument.Value);
        }

        var clients = new HashSet<ISymbol>(client.Symbols, SymbolEqualityComparer.Default);
        clients.ExceptWith(request.Symbols);
        request.Symbols.UnionWith(client.Symbols);
        return new RequestInputs(request.Symbols, clients, client.MayVary || request.MayVary);
    }

    /// <summary>Strings, numbers, enums and readonly structs: passing one to a method cannot change it.</summary>
    public static bool IsImmutable(ITypeSymbol? type) =>
        type is not null
        && (type.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_Char
                or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
                or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
                or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal or SpecialType.System_DateTime
            || type.TypeKind == TypeKind.Enum
            || type is { IsValueType: true, IsReadOnly: true });

    private static bool IsCancellationToken(ITypeSymbol? type) =>
        type is { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } };

    /// <summary>A static factory of the SDK (<c>ChatMessage.CreateUserMessage(text)</c>): it builds its result from its arguments.</summary>
    private static bool IsStaticFactory(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!method.IsStatic || method.IsExtensionMethod || invocation.Arguments.Length == 0
            || method.Locations.Any(l => l.IsInSource) || method.ReturnType is not INamedTypeSymbol { IsReferenceType: true } returned)
        {
            return false;
        }

        for (INamedTypeSymbol? current = returned; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, method.ContainingType.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAutoProperty(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Length == 1
        && property.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors }
        && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);

    private sealed class Walker
    {
        public HashSet<ISymbol> Symbols { get; } = new(SymbolEqualityComparer.Default);

        public bool MayVary { get; private set; }

        public void Visit(IOperation? operation)
        {
            if (operation is null || MayVary)
            {
                return;
            }

            switch (operation)
            {
                case ILocalReferenceOperation local:
                    Symbols.Add(local.Local);
                    return;
                case IParameterReferenceOperation parameter:
                    Symbols.Add(parameter.Parameter);
                    return;
                case IFieldReferenceOperation field:
                    if (field.Field.IsConst)
                    {
                        return;
                    }

                    if (field.Instance is null or IInstanceReferenceOperation)
                    {
                        Symbols.Add(field.Field);
                    }
                    else
                    {
                        Visit(field.Instance);
                    }

                    return;
                case IPropertyReferenceOperation property:
                    VisitProperty(property);
                    return;
                case IInvocationOperation invocation when IsStaticFactory(invocation):
                    VisitAll(invocation.Arguments);
                    return;
                case IObjectOrCollectionInitializerOperation initializer:
                    VisitInitializer(initializer);
                    return;
                case ILiteralOperation or IDefaultValueOperation or ITypeOfOperation or INameOfOperation or ISizeOfOperation:
                    return;
                case IInvocationOperation or IAwaitOperation or IAnonymousFunctionOperation or IInstanceReferenceOperation or IInvalidOperation
                    or IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IEventReferenceOperation
                    or IMethodReferenceOperation or IDelegateCreationOperation:
                    MayVary = true;
                    return;
                default:
                    VisitAll(operation.ChildOperations);
                    return;
            }
        }

        private void VisitAll(IEnumerable<IOperation> operations)
        {
            foreach (var child in operations)
            {
                Visit(child);
            }
        }

        private void VisitProperty(IPropertyReferenceOperation property)
        {
            bool inSource = property.Property.Locations.Any(l => l.IsInSource);
            if (inSource ? !IsAutoProperty(property.Property) : property.Property.IsStatic)
            {
                // A computed property of the user's (it may read the clock), or a static one of a library
                // (DateTime.Now, Environment.TickCount).
                MayVary = true;
                return;
            }

            if (property.Instance is null or IInstanceReferenceOperation)
            {
                Symbols.Add(property.Property);
            }
            else
            {
                Visit(property.Instance);
            }

            VisitAll(property.Arguments);
        }

        /// <summary>The values of <c>new T { P = value }</c> and <c>new List&lt;T&gt; { item }</c>, not their implicit receiver.</summary>
        private void VisitInitializer(IObjectOrCollectionInitializerOperation initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                switch (member)
                {
                    case IAssignmentOperation assignment:
                        if (assignment.Target is IPropertyReferenceOperation indexer)
                        {
                            VisitAll(indexer.Arguments);
                        }

                        Visit(assignment.Value);
                        break;
                    case IMemberInitializerOperation nested:
                        VisitInitializer(nested.Initializer);
                        break;
                    case IInvocationOperation add:
                        VisitAll(add.Arguments);
                        break;
                    default:
                        Visit(member);
                        break;
                }
            }
        }
    }
}
