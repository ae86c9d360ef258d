using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>Where a history sent whole comes from, when it outlives one call of the method that sends it.</summary>
internal enum HistoryOriginKind
{
    /// <summary>A field or property of the sending type: it keeps what every call added.</summary>
    Member,

    /// <summary>A parameter, or a property of one: the whole conversation arrives with each request.</summary>
    Parameter,

    /// <summary>A query over an Entity Framework <c>DbSet</c>: every stored message, read again on each call.</summary>
    Store,
}

/// <summary>
/// TL4004's trace of a history back to what holds it across calls, through the forms that keep every message:
/// conversions (<c>Select</c>, <c>ToList</c>, <c>Cast</c>, <c>Concat</c>…), a list built from it (<c>AddRange</c>, a
/// <c>foreach</c> that adds each message, <c>[.. history]</c>, <c>new List&lt;T&gt;(history)</c>) and <c>await</c>.
/// Anything that could drop messages (<c>Take</c>, <c>Skip</c>, a <c>Where</c> with an ordering comparison, an unknown
/// method) ends the trace with no origin.
/// </summary>
internal sealed class HistoryOrigin
{
    /// <summary>Calls that return every element they are given, in another form.</summary>
    private static readonly string[] KeepsEveryMessage =
    {
        "Select", "ToList", "ToArray", "AsEnumerable", "Cast", "ConvertAll", "Concat", "Prepend", "Append",
        "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Include", "ThenInclude", "AsNoTracking",
        "AsSplitQuery", "ToListAsync", "ToArrayAsync", "AsAsyncEnumerable", "Where",
    };

    private const int MaxDepth = 6;

    private HistoryOrigin(HistoryOriginKind kind, IOperation reference, ISymbol symbol)
    {
        Kind = kind;
        Reference = reference;
        Symbol = symbol;
    }

    public HistoryOriginKind Kind { get; }

    /// <summary>The member, parameter (or parameter property) or <c>DbSet</c> reference the history comes from.</summary>
    public IOperation Reference { get; }

    /// <summary>The field or property, the parameter, or the <c>DbSet</c> property.</summary>
    public ISymbol Symbol { get; }

    /// <summary>
    /// The origin of <paramref name="value"/> inside the body <paramref name="root"/>, or null. A local on the way that
    /// <paramref name="isLimited"/> says is capped (its rows trimmed after loading) ends the trace.
    /// </summary>
    public static HistoryOrigin? Trace(IOperation value, IOperation root, Func<ILocalSymbol, bool> isLimited) => new Tracer(root, isLimited).Trace(value, 0);

    private sealed class Tracer
    {
        private readonly IOperation _root;
        private readonly Func<ILocalSymbol, bool> _isLimited;

        public Tracer(IOperation root, Func<ILocalSymbol, bool> isLimited)
        {
            _root = root;
            _isLimited = isLimited;
        }

        public HistoryOrigin? Trace(IOperation value, int depth)
        {
            if (depth > MaxDepth)
            {
                return null;
            }

            value = ValueTracer.Unwrap(value);
            if (value is not IAwaitOperation && !IsSequence(value.Type)
                && !(value.Type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task && IsSequence(task.TypeArguments[0])))
            {
                return null;
            }

            switch (value)
            {
                case IAwaitOperation awaited:
                    return Trace(awaited.Operation, depth + 1);
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field when !field.Field.IsConst:
                    return IsStoreSet(field.Type) ? new(HistoryOriginKind.Store, field, field.Field) : new(HistoryOriginKind.Member, field, field.Field);
                case IPropertyReferenceOperation { Property.Parameters.Length: 0 } property:
                    if (IsStoreSet(property.Type))
                    {
                        return new(HistoryOriginKind.Store, property, property.Property);
                    }

                    return property.Instance switch
                    {
                        null or IInstanceReferenceOperation => new(HistoryOriginKind.Member, property, property.Property),
                        { } instance when ValueTracer.Unwrap(instance) is IParameterReferenceOperation => new(HistoryOriginKind.Parameter, property, property.Property),
                        _ => null,
                    };
                case IParameterReferenceOperation parameter:
                    return new(HistoryOriginKind.Parameter, parameter, parameter.Parameter);
                case IInvocationOperation invocation when Array.IndexOf(KeepsEveryMessage, invocation.TargetMethod.Name) >= 0:
                    return KeepsEvery(invocation) ? FirstOrigin(invocation, depth) : null;
                case IObjectCreationOperation { Arguments.Length: 1, Initializer: null } creation
                    when IsSequence(creation.Arguments[0].Value.Type):
                    // new List<ChatMessage>(history), new ChatHistory(messages)
                    return Trace(creation.Arguments[0].Value, depth + 1);
                case ICollectionExpressionOperation collection:
                    return collection.Elements.OfType<ISpreadOperation>().Select(s => Trace(s.Operand, depth + 1)).FirstOrDefault(o => o is not null);
                case ILocalReferenceOperation local:
                    return _isLimited(local.Local) ? null : TraceLocal(local.Local, depth);
                default:
                    return null;
            }
        }

        private HistoryOrigin? FirstOrigin(IInvocationOperation invocation, int depth)
        {
            if (invocation.Instance is { } instance && Trace(instance, depth + 1) is { } fromInstance)
            {
                return fromInstance;
            }

            // Extension methods: the source, then what Concat adds to it (system.Concat(history)).
            return invocation.Arguments.Where(a => IsSequence(a.Value.Type))
                .Select(a => Trace(a.Value, depth + 1)).FirstOrDefault(o => o is not null);
        }

        /// <summary>A <c>Where</c> keeps every message of the conversation it selects unless it compares an order (a date, an index).</summary>
        private static bool KeepsEvery(IInvocationOperation invocation) =>
            invocation.TargetMethod.Name != "Where"
            || !invocation.Arguments.Any(a => a.Value.DescendantsAndSelf().Any(o =>
                o is IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual }
                || o is IAnonymousFunctionOperation { Symbol.Parameters.Length: > 1 }));

        /// <summary>
        /// A local's origin: its initializer or the one value assigned to it, or what it is filled with
        /// (<c>messages.AddRange(history)</c>, <c>foreach (var m in history) messages.Add(…)</c>).
        /// </summary>
        private HistoryOrigin? TraceLocal(ILocalSymbol local, int depth)
        {
            HistoryOrigin? origin = null;
            int writes = 0;
            foreach (var operation in _root.DescendantsAndSelf())
            {
                IOperation? source = operation switch
                {
                    IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.GetVariableInitializer()?.Value,
                    ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                    _ => null,
                };
                if (source is not null)
                {
                    if (++writes > 1)
                    {
                        // Assigned twice: which value is sent depends on the path taken.
                        return null;
                    }

                    origin ??= Trace(source, depth + 1);
                    continue;
                }

                if (operation is IInvocationOperation { TargetMethod.Name: "AddRange" } addRange && IsOn(addRange, local) && addRange.Arguments.Length > 0)
                {
                    origin ??= Trace(addRange.Arguments[addRange.Arguments.Length - 1].Value, depth + 1);
                }
                else if (operation is IForEachLoopOperation loop
                    && loop.Body.DescendantsAndSelf().OfType<IInvocationOperation>().Any(add => add.TargetMethod.Name.StartsWith("Add", StringComparison.Ordinal) && IsOn(add, local)))
                {
                    origin ??= Trace(loop.Collection, depth + 1);
                }
            }

            return origin;
        }
    }

    /// <summary>True when the call is made on the local (as its instance, or as the first argument of an extension).</summary>
    public static bool IsOn(IInvocationOperation call, ILocalSymbol local) =>
        (call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null)) is { } receiver
        && ValueTracer.Unwrap(receiver) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    /// <summary>A collection of messages or rows; not a string, which is a sequence of characters.</summary>
    public static bool IsSequence(ITypeSymbol? type) =>
        type is not null && type.SpecialType != SpecialType.System_String
        && (type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
            || type.Name == "IAsyncEnumerable"
            || type.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T || i.Name == "IAsyncEnumerable"));

    /// <summary>Entity Framework's <c>DbSet&lt;T&gt;</c>.</summary>
    private static bool IsStoreSet(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "DbSet", IsGenericType: true } set && NamespaceNames.Is(set.ContainingNamespace, "Microsoft.EntityFrameworkCore");
}
