using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers;

/// <summary>
/// Whether code between two sends of a request (a loop body, the statements between two calls) can change what the
/// request reads: an assignment to it or to a member of it, a <c>ref</c>/<c>out</c> argument, a method called on a
/// mutable value or handed it, and for fields and properties any await or call of the user's own code.
/// </summary>
internal sealed class RequestChanges
{
    private readonly IReadOnlyList<IOperation> _region;
    private readonly Func<IInvocationOperation, bool> _sendsRequest;

    /// <param name="region">The operations that run between the sends (every descendant is looked at).</param>
    /// <param name="sendsRequest">Calls that send a request: they read their arguments and change nothing.</param>
    public RequestChanges(IEnumerable<IOperation> region, Func<IInvocationOperation, bool> sendsRequest)
    {
        _region = region.SelectMany(o => o.DescendantsAndSelf()).ToArray();
        _sendsRequest = sendsRequest;
    }

    /// <summary>
    /// The lambdas and local functions of the body around <paramref name="call"/> that do not contain it: one of them
    /// may run between the sends and write a local it captures.
    /// </summary>
    public static RequestChanges InFunctionsBesides(IOperation call, Func<IInvocationOperation, bool> sendsRequest)
    {
        var root = call;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var functions = root.Descendants()
            .Where(o => o is IAnonymousFunctionOperation or ILocalFunctionOperation && !o.Syntax.Span.Contains(call.Syntax.Span));
        return new RequestChanges(functions, sendsRequest);
    }

    /// <summary>True when anything the request reads may have changed between the sends.</summary>
    public bool ChangeAnyOf(RequestInputs inputs) => ChangeAnyOf(inputs.Symbols, inputs.Clients);

    /// <summary>
    /// True when any of the symbols may have changed between the sends. A readonly field that only holds the client
    /// (<paramref name="clients"/>) is not changed by other code of the type: it can only be configured in the region.
    /// </summary>
    public bool ChangeAnyOf(IEnumerable<ISymbol> symbols, IReadOnlyCollection<ISymbol>? clients = null)
    {
        bool? stateMayChange = null;
        foreach (var symbol in symbols)
        {
            bool isClient = clients?.Contains(symbol, SymbolEqualityComparer.Default) == true;
            if (Changes(symbol))
            {
                return true;
            }

            if (symbol is IFieldSymbol or IPropertySymbol && !(isClient ? IsAssignedOnce(symbol) : IsFixedValue(symbol)))
            {
                // Another method of the type, or another thread while this one awaits, can change a field.
                stateMayChange ??= _region.Any(MayRunOtherCode);
                if (stateMayChange == true)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The local, parameter, field or property an expression reads or writes through (<c>options.Tools</c> is <c>options</c>).</summary>
    public static ISymbol? Root(IOperation? operation)
    {
        for (int depth = 0; operation is not null && depth < 16; depth++)
        {
            switch (ValueTracer.Unwrap(operation))
            {
                case ILocalReferenceOperation local:
                    return local.Local;
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter;
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field:
                    return field.Field;
                case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property:
                    return property.Property;
                case IMemberReferenceOperation member:
                    operation = member.Instance;
                    break;
                case IArrayElementReferenceOperation element:
                    operation = element.ArrayReference;
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    private bool Changes(ISymbol symbol)
    {
        bool IsSymbol(IOperation? operation) => SymbolEqualityComparer.Default.Equals(Root(operation), symbol);
        // A client counts too: kernel.FunctionInvocationFilters.Add(filter) changes what the next request sends.
        bool mutable = !RequestInputs.IsImmutable(TypeOf(symbol));
        foreach (var operation in _region)
        {
            switch (operation)
            {
                case IAssignmentOperation assignment when assignment.Target is ITupleOperation or IDeclarationExpressionOperation:
                    if (assignment.Target.DescendantsAndSelf().Any(IsSymbol))
                    {
                        return true;
                    }

                    break;
                case IAssignmentOperation assignment when IsSymbol(assignment.Target):
                case IIncrementOrDecrementOperation increment when IsSymbol(increment.Target):
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byReference when IsSymbol(byReference.Value):
                    return true;
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, symbol):
                    // Declared in the region: a new value each time round.
                    return true;
                case IInvocationOperation invocation when mutable && !_sendsRequest(invocation):
                    if (IsSymbol(invocation.Instance) || invocation.Arguments.Any(a => IsSymbol(a.Value)))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>An await of anything but a request, or a call of the user's own code or of a delegate.</summary>
    private bool MayRunOtherCode(IOperation operation) => operation switch
    {
        IAwaitOperation awaited => !(ValueTracer.Unwrap(awaited.Operation) is IInvocationOperation invocation && _sendsRequest(invocation)),
        IInvocationOperation invocation => !_sendsRequest(invocation)
            && (invocation.TargetMethod.Locations.Any(l => l.IsInSource) || invocation.TargetMethod.MethodKind == MethodKind.DelegateInvoke),
        _ => false,
    };

    /// <summary>A readonly field or get-only property of an immutable type: it holds one value for good.</summary>
    private static bool IsFixedValue(ISymbol symbol) => symbol switch
    {
        IFieldSymbol field => (field.IsReadOnly || field.IsConst) && RequestInputs.IsImmutable(field.Type),
        IPropertySymbol property => property.SetMethod is null && RequestInputs.IsImmutable(property.Type),
        _ => false,
    };

    /// <summary>A readonly field or get-only property: it holds the client it was given for good.</summary>
    private static bool IsAssignedOnce(ISymbol symbol) => symbol switch
    {
        IFieldSymbol field => field.IsReadOnly,
        IPropertySymbol property => property.SetMethod is null,
        _ => false,
    };

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };
}
