using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// Chat-session objects: a history held by another object of this compilation (<c>session.Messages</c>,
/// <c>_state.History</c>) that outlives the call, because the sending type keeps the object in a field it never
/// replaces, or keeps one per conversation in a dictionary.
/// </summary>
internal static class HistorySessions
{
    /// <summary>
    /// What keeps the object a history is read on between calls: a readonly field or get-only property of the sending
    /// type, or the dictionary of sessions (a field, property or program local) that a local's entry was fetched from,
    /// with <paramref name="entry"/> that local. Null for anything else: a parameter, a new object, a call's result.
    /// </summary>
    public static ISymbol? Holder(IOperation instance, IOperation root, out ILocalSymbol? entry)
    {
        entry = null;
        instance = ValueTracer.Unwrap(instance);
        if (instance.Type is not INamedTypeSymbol { TypeKind: TypeKind.Class, DeclaringSyntaxReferences.IsEmpty: false } type || HistoryOrigin.IsSequence(type))
        {
            return null;
        }

        switch (instance)
        {
            case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: { IsReadOnly: true } field }:
                return field;
            case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property: { SetMethod: null, Parameters.Length: 0, IsAbstract: false } property }:
                return property;
            case ILocalReferenceOperation local when EntryHolder(local.Local, root) is { } holder:
                entry = local.Local;
                return holder;
            default:
                return null;
        }
    }

    /// <summary>
    /// The dictionary the local's session is fetched from (<c>_sessions.GetOrAdd(id, …)</c>, <c>_sessions[id]</c>,
    /// <c>TryGetValue(id, out session)</c>); a new session created when the key has none is the same entry. Any other
    /// value assigned to the local makes the holder unknown.
    /// </summary>
    private static ISymbol? EntryHolder(ILocalSymbol local, IOperation root)
    {
        ISymbol? holder = null;
        foreach (var operation in root.DescendantsAndSelf())
        {
            IOperation? source = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.GetVariableInitializer()?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                _ => null,
            };
            ISymbol? fetched = null;
            if (source is not null)
            {
                var value = ValueTracer.Unwrap(source);
                if (value is IAwaitOperation awaited)
                {
                    value = ValueTracer.Unwrap(awaited.Operation);
                }

                if (!HistoryEntries.IsFetch(value, out fetched, out _) && !HistoryEntries.IsFresh(value))
                {
                    return null;
                }
            }
            else if (operation is IArgumentOperation argument)
            {
                HistoryEntries.IsTryGetValueOut(argument, local, out fetched, out _);
            }

            if (fetched is not null)
            {
                if (holder is not null && !SymbolEqualityComparer.Default.Equals(holder, fetched))
                {
                    return null;
                }

                holder = fetched;
            }
        }

        return holder;
    }

    /// <summary>True when the call is made on the member as read on the same session: <c>session.Messages.Add(…)</c>.</summary>
    public static bool IsOn(IInvocationOperation call, ISymbol member, ISymbol holder, ILocalSymbol? entry)
    {
        if (HistoryEntries.Receiver(call) is not { } receiver)
        {
            return false;
        }

        var (read, instance) = receiver switch
        {
            IPropertyReferenceOperation property => ((ISymbol)property.Property, property.Instance),
            IFieldReferenceOperation field => (field.Field, field.Instance),
            _ => (null, null),
        };
        if (instance is null || !SymbolEqualityComparer.Default.Equals(read, member))
        {
            return false;
        }

        return ValueTracer.Unwrap(instance) switch
        {
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, entry),
            IFieldReferenceOperation field => entry is null && SymbolEqualityComparer.Default.Equals(field.Field, holder),
            IPropertyReferenceOperation property => entry is null && SymbolEqualityComparer.Default.Equals(property.Property, holder),
            _ => false,
        };
    }
}
