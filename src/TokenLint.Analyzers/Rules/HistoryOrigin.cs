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

    /// <summary>One entry of a dictionary of histories (one per chat, user or session) that outlives each message.</summary>
    Entry,

    /// <summary>A member of another object of this compilation (a chat session) that the sending type keeps between calls.</summary>
    Session,
}

/// <summary>
/// TL4004's trace of a history back to what holds it across calls, through the forms that keep every message:
/// conversions (<c>Select</c>, <c>ToList</c>, <c>Cast</c>, <c>Concat</c>…), a list built from it (<c>AddRange</c>, a
/// <c>foreach</c> that adds each message, <c>[.. history]</c>, <c>new List&lt;T&gt;(history)</c>), <c>await</c>, and
/// what a method of the same file returns (a helper such as <c>GetOrCreateHistory(chatId)</c>).
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

    private const int MaxDepth = 10;

    private HistoryOrigin(HistoryOriginKind kind, IOperation reference, ISymbol symbol, string? name = null, ILocalSymbol? entryLocal = null, ISymbol? holder = null)
    {
        Holder = holder;
        Kind = kind;
        Reference = reference;
        Symbol = symbol;
        Name = name ?? reference.Syntax.ToString();
        EntryLocal = entryLocal;
    }

    public HistoryOriginKind Kind { get; }

    /// <summary>The member, parameter (or parameter property) or <c>DbSet</c> reference the history comes from.</summary>
    public IOperation Reference { get; }

    /// <summary>The field or property, the parameter, the <c>DbSet</c> property, or what holds the dictionary of entries.</summary>
    public ISymbol Symbol { get; }

    /// <summary>How a message names the history: the code of <see cref="Reference"/>, or <c>_histories[chatId]</c> for an entry.</summary>
    public string Name { get; }

    /// <summary>For an entry, the local of the sending method that holds the fetched entry itself (what its adds grow).</summary>
    public ILocalSymbol? EntryLocal { get; }

    /// <summary>For a session, what keeps the session object: a field or property of the sending type, or a dictionary of sessions.</summary>
    public ISymbol? Holder { get; }

    /// <summary>
    /// The origin of <paramref name="value"/> inside the body <paramref name="root"/>, or null. A local on the way that
    /// <paramref name="isLimited"/> says is capped (its rows trimmed after loading) ends the trace.
    /// </summary>
    public static HistoryOrigin? Trace(IOperation value, IOperation root, Func<ILocalSymbol, IOperation, bool> isLimited) => new Tracer(root, isLimited).Trace(value, 0);

    private sealed class Tracer
    {
        private readonly IOperation _root;
        private readonly Func<ILocalSymbol, IOperation, bool> _isLimited;

        public Tracer(IOperation root, Func<ILocalSymbol, IOperation, bool> isLimited)
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

            if (HistoryEntries.IsFetch(value, out var holder, out var key))
            {
                return new(HistoryOriginKind.Entry, value, holder!, HistoryEntries.Name(holder!, key!));
            }

            switch (value)
            {
                case IAwaitOperation awaited:
                    return Trace(awaited.Operation, depth + 1);
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field when !field.Field.IsConst:
                    return IsStoreSet(field.Type) ? new(HistoryOriginKind.Store, field, field.Field) : new(HistoryOriginKind.Member, field, field.Field);
                case IFieldReferenceOperation { Instance: { } instance } field when HistorySessions.Holder(instance, _root, out var session) is { } keeper:
                    return new(HistoryOriginKind.Session, field, field.Field, entryLocal: session, holder: keeper);
                case IPropertyReferenceOperation { Property.Parameters.Length: 0 } property:
                    if (IsStoreSet(property.Type))
                    {
                        return new(HistoryOriginKind.Store, property, property.Property);
                    }

                    return property.Instance switch
                    {
                        null or IInstanceReferenceOperation => new(HistoryOriginKind.Member, property, property.Property),
                        { } instance when ValueTracer.Unwrap(instance) is IParameterReferenceOperation => new(HistoryOriginKind.Parameter, property, property.Property),
                        { } instance when HistorySessions.Holder(instance, _root, out var session) is { } keeper
                            => new(HistoryOriginKind.Session, property, property.Property, entryLocal: session, holder: keeper),
                        _ => null,
                    };
                case IParameterReferenceOperation parameter:
                    return new(HistoryOriginKind.Parameter, parameter, parameter.Parameter);
                case IInvocationOperation invocation when Array.IndexOf(KeepsEveryMessage, invocation.TargetMethod.Name) >= 0:
                    return KeepsEvery(invocation) ? FirstOrigin(invocation, depth) : null;
                case IInvocationOperation invocation when HelperBody(invocation) is { } helper:
                    return HelperResult(helper, depth);
                case IObjectCreationOperation { Arguments.Length: 1, Initializer: null } creation
                    when IsSequence(creation.Arguments[0].Value.Type):
                    // new List<ChatMessage>(history), new ChatHistory(messages)
                    return Trace(creation.Arguments[0].Value, depth + 1);
                case ICollectionExpressionOperation collection:
                    return collection.Elements.OfType<ISpreadOperation>().Select(s => Trace(s.Operand, depth + 1)).FirstOrDefault(o => o is not null);
                case ILocalReferenceOperation local:
                    return _isLimited(local.Local, _root) ? null : TraceLocal(local.Local, depth);
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
            HistoryOrigin? entry = null;
            int writes = 0;
            int freshWrites = 0;
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
                    writes++;
                    if (HistoryEntries.IsFresh(source))
                    {
                        // A new list: the history starts here (or, beside an entry, is the entry created when missing).
                        freshWrites++;
                    }
                    else if (Trace(source, depth + 1) is { } traced)
                    {
                        if (traced.Kind == HistoryOriginKind.Entry)
                        {
                            // The local holds the entry itself only when it is the fetch's (or a helper's) result, not a copy.
                            entry ??= traced.EntryLocal is null && IsEntryItself(source) ? traced.WithEntryLocal(local) : traced;
                        }
                        else
                        {
                            origin ??= traced;
                        }
                    }

                    continue;
                }

                if (operation is IArgumentOperation argument && HistoryEntries.IsTryGetValueOut(argument, local, out var holder, out var key))
                {
                    entry ??= new(HistoryOriginKind.Entry, argument.Parent!, holder!, HistoryEntries.Name(holder!, key!), local);
                }
                else if (operation is IInvocationOperation { TargetMethod.Name: "AddRange" } addRange && IsOn(addRange, local) && addRange.Arguments.Length > 0)
                {
                    origin ??= Trace(addRange.Arguments[addRange.Arguments.Length - 1].Value, depth + 1);
                }
                else if (operation is IForEachLoopOperation loop
                    && loop.Body.DescendantsAndSelf().OfType<IInvocationOperation>().Any(add => add.TargetMethod.Name.StartsWith("Add", StringComparison.Ordinal) && IsOn(add, local)))
                {
                    origin ??= Trace(loop.Collection, depth + 1);
                }
            }

            if (entry is not null)
            {
                // The entry, or a new list created when the key had none: any other value makes the history unknown.
                return origin is null && writes - freshWrites <= 1 ? entry : null;
            }

            // Assigned twice: which value is sent depends on the path taken.
            return writes > 1 ? null : origin;
        }

        /// <summary>The entry as fetched (<c>histories.GetOrAdd(…)</c>, <c>histories[id]</c>) or as a helper returns it.</summary>
        private static bool IsEntryItself(IOperation source)
        {
            var value = ValueTracer.Unwrap(source);
            if (value is IAwaitOperation awaited)
            {
                value = ValueTracer.Unwrap(awaited.Operation);
            }

            return HistoryEntries.IsFetch(value, out _, out _) || value is IInvocationOperation invocation && HelperBody(invocation) is not null;
        }

        /// <summary>What a helper returns on every path, traced in its own body; null when one path returns something else.</summary>
        private HistoryOrigin? HelperResult(IOperation body, int depth)
        {
            var tracer = new Tracer(body, _isLimited);
            HistoryOrigin? result = null;
            foreach (var returned in body.DescendantsAndSelf().OfType<IReturnOperation>())
            {
                if (returned.ReturnedValue is not { } value || !IsOwnReturn(returned, body))
                {
                    continue;
                }

                if (tracer.Trace(value, depth + 1) is not { } origin
                    || result is not null && (result.Kind != origin.Kind || !SymbolEqualityComparer.Default.Equals(result.Symbol, origin.Symbol))
                    || origin.Kind == HistoryOriginKind.Entry && !IsEntryItself(value)
                        && !(ValueTracer.Unwrap(value) is ILocalReferenceOperation returnedLocal && SymbolEqualityComparer.Default.Equals(origin.EntryLocal, returnedLocal.Local)))
                {
                    // A helper that returns a copy of an entry hands out messages its callers' adds do not keep.
                    return null;
                }

                result ??= origin;
            }

            // The caller's local holds the entry the helper returns: its adds are the ones that grow it.
            return result?.WithEntryLocal(null);
        }

        /// <summary>
        /// The body of a method of this compilation declared once with a body (not abstract, virtual or partial), or null:
        /// a helper of the file, or a method of another type such as a history store's <c>GetOrCreate(id)</c>.
        /// </summary>
        private static IOperation? HelperBody(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind != MethodKind.Ordinary || method.IsAbstract || method.IsVirtual || method.IsOverride || method.IsExtern
                || method.DeclaringSyntaxReferences.Length != 1
                || invocation.SemanticModel is not { } semanticModel
                // A store made in this method (var store = new ConversationStore()) holds nothing between calls.
                || invocation.Instance is { } instance
                    && ValueTracer.Unwrap(instance) is not (IInstanceReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation))
            {
                return null;
            }

            var tree = method.DeclaringSyntaxReferences[0].SyntaxTree;
            if (tree != semanticModel.SyntaxTree)
            {
                if (!semanticModel.Compilation.ContainsSyntaxTree(tree))
                {
                    return null;
                }

                // RS1030: the driver shares semantic models through the compilation's provider; only methods whose
                // result a sent history is traced to are bound this way.
#pragma warning disable RS1030
                semanticModel = semanticModel.Compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            }

            return semanticModel.GetOperation(method.DeclaringSyntaxReferences[0].GetSyntax()) as IMethodBodyOperation;
        }

        /// <summary>A return of the body itself, not of a lambda or local function inside it.</summary>
        private static bool IsOwnReturn(IOperation returned, IOperation body)
        {
            for (var current = returned.Parent; current is not null && current != body; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }
            }

            return true;
        }
    }

    private HistoryOrigin WithEntryLocal(ILocalSymbol? local) => new(Kind, Reference, Symbol, Name, local, Holder);

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
