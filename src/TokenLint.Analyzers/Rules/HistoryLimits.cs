using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// Whether anything can cap a history: a use that trims, windows, counts, summarises or reduces it, or hands it to
/// code the rule cannot read. One per compilation; what it finds for a field or property is kept, so the type's other
/// methods are read once however many calls send that member.
/// </summary>
internal sealed partial class HistoryLimits
{
    /// <summary>Calls that drop messages, or read only some of them.</summary>
    private static readonly string[] Limiters =
    {
        "Take", "TakeLast", "Skip", "SkipLast", "TakeWhile", "SkipWhile", "Where", "GetRange", "Chunk",
        "Remove", "RemoveAt", "RemoveRange", "RemoveAll", "Clear", "TrimExcess",
    };

    /// <summary>Words in a method name that say it caps a history (TrimHistory, ReduceAsync, Summarize…).</summary>
    private static readonly string[] LimitingWords = { "Trim", "Truncat", "Reduc", "Summar", "Window", "Compact", "Prune", "Token" };

    private readonly ModelCallSiteCatalog _callSites;

    private readonly ConcurrentDictionary<ISymbol, bool> _limitedMembers = new(SymbolEqualityComparer.Default);

    private readonly ConcurrentDictionary<ISymbol, bool> _limitedEntries = new(SymbolEqualityComparer.Default);

    /// <summary>Types registered for dependency injection as scoped or transient: a new instance per request or per use.</summary>
    private readonly Lazy<HashSet<string>> _shortLivedTypes;

    public HistoryLimits(ModelCallSiteCatalog callSites, Compilation compilation)
    {
        _callSites = callSites;
        _shortLivedTypes = new Lazy<HashSet<string>>(() => PerRequestRegistrations.Find(compilation), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// True when a method of the member's type can cap it, or when the rule cannot read them all: the type is declared in
    /// other files too, it mentions a chat reducer, or the member is not private.
    /// </summary>
    public bool IsMemberLimited(ISymbol member, SemanticModel semanticModel) =>
        _limitedMembers.GetOrAdd(member, m => ComputeMemberLimited(m, semanticModel));

    /// <summary>True when a use of <paramref name="local"/> in <paramref name="root"/> can cap it.</summary>
    public bool IsLocalLimited(ILocalSymbol local, IOperation root) =>
        root.DescendantsAndSelf().OfType<ILocalReferenceOperation>()
            .Any(reference => SymbolEqualityComparer.Default.Equals(reference.Local, local) && Limits(reference, initialization: false, aliasLimits: false));

    /// <summary>True when a use of the parameter (or of the parameter's property <paramref name="property"/>) in <paramref name="root"/> can cap it.</summary>
    public bool IsParameterLimited(IParameterSymbol parameter, IPropertySymbol? property, IOperation root) =>
        root.DescendantsAndSelf().OfType<IParameterReferenceOperation>()
            .Where(reference => SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            .Select(reference => property is null ? (IOperation)reference : Parent(reference) is IPropertyReferenceOperation read && SymbolEqualityComparer.Default.Equals(read.Property, property) ? read : null)
            .Any(use => use is not null && Limits(use, initialization: false, aliasLimits: false));

    /// <summary>
    /// True when anything can drop or trim an entry of the dictionary that <paramref name="holder"/> keeps: a use of the
    /// dictionary that removes, replaces or hands out entries (<c>TryRemove</c>, <c>Clear</c>, <c>histories[id] = …</c>
    /// outside a create-when-missing), or a use of a fetched entry that can cap it, in any method of the holder's type
    /// (or of the program that declares it), through helpers that return the entry.
    /// </summary>
    public bool IsEntryLimited(ISymbol holder, SemanticModel semanticModel) =>
        _limitedEntries.GetOrAdd(holder, h => ComputeEntryLimited(h, semanticModel));

    private bool ComputeEntryLimited(ISymbol holder, SemanticModel semanticModel)
    {
        if (holder is not ILocalSymbol && holder.ContainingType.DeclaringSyntaxReferences.Length == 1
            && holder.ContainingType.DeclaringSyntaxReferences[0].SyntaxTree is var tree && tree != semanticModel.SyntaxTree)
        {
            // A dictionary held by another type (a conversation store): read with its own file's model.
            semanticModel = ModelOf(tree, semanticModel.Compilation);
        }

        if (holder is not ILocalSymbol && IsOutOfSight(holder, semanticModel))
        {
            return true;
        }

        var scopes = holder is ILocalSymbol
            ? holder.DeclaringSyntaxReferences.Select(r => ValueTracer.EnclosingBody(r.GetSyntax())).OfType<SyntaxNode>()
            : holder.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax());
        foreach (var scope in scopes)
        {
            if (MentionsAReducer(scope))
            {
                return true;
            }

            foreach (var identifier in ValueTracer.ReferencesTo(holder, scope, semanticModel))
            {
                SyntaxNode node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
                if (semanticModel.GetOperation(node) is not { } reference
                    || EntryUseLimits(reference, IsInitialization(identifier), semanticModel))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when this use of the dictionary can drop, replace or trim an entry.</summary>
    private bool EntryUseLimits(IOperation reference, bool initialization, SemanticModel semanticModel)
    {
        var use = reference;
        var parent = use.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation or IArgumentOperation { Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } })
        {
            use = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IInvocationOperation call when HistoryEntries.Receiver(call) == ValueTracer.Unwrap(use) || call.Instance == use:
                return call.TargetMethod.Name switch
                {
                    "GetOrAdd" or "GetValueOrDefault" => FetchedValueLimits(call, semanticModel, 0),
                    "TryGetValue" => OutValue(call) switch
                    {
                        IDiscardOperation => false,
                        ILocalReferenceOperation entry => IsLocalLimited(entry.Local, TopOf(call)),
                        _ => true,
                    },
                    var name => !HistoryEntries.KeepsEveryEntry(name),
                };
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance == use:
                return Parent(indexer) is ISimpleAssignmentOperation store && store.Target == SkipUp(indexer)
                    ? !CreatesWhenMissing(store)
                    : FetchedValueLimits(indexer, semanticModel, 0);
            case IPropertyReferenceOperation property when property.Instance == use:
                // The number of conversations, or their keys: no entry's messages.
                return property.Property.Name is not ("Count" or "Keys" or "IsEmpty");
            case ILockOperation:
                return false;
            case ISimpleAssignmentOperation assignment when assignment.Target == use:
                return !initialization;
            default:
                return true;
        }
    }

    /// <summary>What <c>TryGetValue(id, out var history)</c> fills: a local, a discard, or something else.</summary>
    private static IOperation? OutValue(IInvocationOperation call) =>
        call.Arguments.FirstOrDefault(a => a.Parameter?.RefKind == RefKind.Out)?.Value is { } value
            ? ValueTracer.Unwrap(value) is IDeclarationExpressionOperation declaration ? ValueTracer.Unwrap(declaration.Expression) : ValueTracer.Unwrap(value)
            : null;

    /// <summary>
    /// <c>histories[id] = new ChatHistory(…)</c> in a method that first looked the key up (<c>TryGetValue</c>,
    /// <c>ContainsKey</c>): the entry created when missing. Elsewhere the same assignment resets a conversation.
    /// </summary>
    private static bool CreatesWhenMissing(ISimpleAssignmentOperation assignment) =>
        TopOf(assignment).DescendantsAndSelf().OfType<IInvocationOperation>().Any(call => call.TargetMethod.Name is "TryGetValue" or "ContainsKey");

    /// <summary>True when what a fetch returns can be capped: in the local it is kept in, or through the helper that returns it.</summary>
    private bool FetchedValueLimits(IOperation fetch, SemanticModel semanticModel, int depth)
    {
        switch (Parent(fetch))
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return IsLocalLimited(declarator.Symbol, TopOf(fetch));
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SkipUp(fetch) == assignment.Value:
                return IsLocalLimited(target.Local, TopOf(fetch));
            case IReturnOperation:
                return HelperResultLimits(fetch, semanticModel, depth);
            default:
                return Limits(fetch, initialization: false, aliasLimits: true);
        }
    }

    /// <summary>
    /// A private helper that returns the entry (<c>GetOrCreateHistory(chatId)</c>): every call of it in its type keeps
    /// what it gets uncapped. A helper other types can call hands the entry to code the rule does not read.
    /// </summary>
    private bool HelperResultLimits(IOperation fetch, SemanticModel semanticModel, int depth)
    {
        if (depth > 2
            || semanticModel.GetEnclosingSymbol(fetch.Syntax.SpanStart) is not IMethodSymbol { MethodKind: MethodKind.Ordinary } helper)
        {
            return true;
        }

        if (helper.DeclaredAccessibility != Accessibility.Private)
        {
            // A store's GetOrCreate(id): every caller in the compilation, when no other assembly can call it.
            return CallersLimit(helper, semanticModel.Compilation, depth);
        }

        if (helper.ContainingType.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != semanticModel.SyntaxTree))
        {
            // Callers in other files are out of sight (and this file's semantic model cannot bind them).
            return true;
        }

        foreach (var declaration in helper.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax()))
        {
            foreach (var identifier in ValueTracer.ReferencesTo(helper, declaration, semanticModel))
            {
                SyntaxNode node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access.Parent! : identifier.Parent!;
                if (semanticModel.GetOperation(node) is not IInvocationOperation call || FetchedValueLimits(call, semanticModel, depth + 1))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The body an operation belongs to: its method's, or a top-level program's.</summary>
    private static IOperation TopOf(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root;
    }

    /// <summary>The operation with the conversions and parentheses around it.</summary>
    private static IOperation SkipUp(IOperation operation)
    {
        while (operation.Parent is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>
    /// A member other code can reach: not private, declared in more than one file, or in a type made for each request
    /// (a controller, a hub, a scoped or transient service), whose history starts empty every time.
    /// </summary>
    private bool IsOutOfSight(ISymbol member, SemanticModel semanticModel)
    {
        var type = member.ContainingType;
        return member.DeclaredAccessibility != Accessibility.Private
            || type.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != semanticModel.SyntaxTree)
            || IsPerRequest(member);
    }

    /// <summary>An instance member of a type made for each request (a controller, a hub, a scoped or transient service).</summary>
    private bool IsPerRequest(ISymbol member) =>
        !member.IsStatic && (PerRequestRegistrations.IsCreatedPerRequest(member.ContainingType) || IsRegisteredPerRequest(member.ContainingType));

    /// <summary>A type registered for dependency injection as scoped or transient.</summary>
    public bool IsRegisteredPerRequest(ITypeSymbol type) => _shortLivedTypes.Value.Contains(type.Name);

    private bool ComputeMemberLimited(ISymbol member, SemanticModel semanticModel)
    {
        var type = member.ContainingType;
        if (member.DeclaredAccessibility != Accessibility.Private && !IsPerRequest(member))
        {
            // Other types can reach it: every use in the compilation is read, when no other assembly can reach it.
            return IsCappedAnywhere(member, semanticModel.Compilation);
        }

        if (IsOutOfSight(member, semanticModel))
        {
            return true;
        }

        foreach (var declaration in type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()))
        {
            if (MentionsAReducer(declaration))
            {
                return true;
            }

            foreach (var identifier in ValueTracer.ReferencesTo(member, declaration, semanticModel))
            {
                SyntaxNode node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
                if (semanticModel.GetOperation(node) is not { } reference
                    || Limits(reference, initialization: IsInitialization(identifier), aliasLimits: true))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// True when this use of a history can cap it: a limiting call on it, its <c>Count</c>, a new value assigned to it
    /// after construction, or (for a member, <paramref name="aliasLimits"/>) a copy of the reference that other code can trim.
    /// Adding to it, sending it, reading or enumerating it cap nothing.
    /// </summary>
    private bool Limits(IOperation reference, bool initialization, bool aliasLimits)
    {
        var use = reference;
        var parent = use.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation or IDeclarationExpressionOperation)
        {
            use = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IInvocationOperation call when call.Instance == use:
                return IsLimiting(call.TargetMethod.Name);
            case IArgumentOperation { Parameter.RefKind: RefKind.Out, Parent: IInvocationOperation { TargetMethod.Name: "TryGetValue" } }:
                // histories.TryGetValue(id, out var history): where the history comes from.
                return false;
            case ILockOperation:
                return false;
            case ISimpleAssignmentOperation assignment when assignment.Target == use && reference is ILocalReferenceOperation
                && HistoryEntries.IsFresh(assignment.Value) && IsGuardedByLookup(assignment):
                // if (!histories.TryGetValue(id, out var history)) { history = new(); histories[id] = history; }
                return false;
            case IArgumentOperation { Parent: IInvocationOperation call } argument:
                if (_callSites.TryGetCallSite(call, out _) || call.TargetMethod.Name == "AddRange")
                {
                    return false;
                }

                // history.TakeLast(20) limits; history.Select(...) or history.ToList() does not. Any other method may trim it.
                return !(call.TargetMethod.IsExtensionMethod && call.Arguments[0] == argument) || IsLimiting(call.TargetMethod.Name);
            case IArgumentOperation { Parent: IObjectCreationOperation }:
            case ISpreadOperation:
            case IForEachLoopOperation:
            case ICoalesceAssignmentOperation:
            case IIsPatternOperation or IBinaryOperation:
                return false;
            case IPropertyReferenceOperation property when property.Instance == use:
                return property.Property.Name is "Count" or "Length" or "LongCount";
            case IFieldReferenceOperation field when field.Instance == use:
                // A session's history field: its own uses are read where it is sent.
                return false;
            case IArrayElementReferenceOperation:
                return false;
            case ISimpleAssignmentOperation assignment when assignment.Target == use:
                return !initialization;
            case ISimpleAssignmentOperation assignment when IsSentRequestProperty(assignment):
                // new MessageCreateParams { Messages = _history } handed straight to the model call: sent, not copied.
                return false;
            case ISimpleAssignmentOperation or IVariableInitializerOperation or IReturnOperation:
                // A copy of the reference: what happens to it is out of sight. Returned as a read-only view, it is only read.
                return aliasLimits && !(parent is IReturnOperation && use is IConversionOperation { Type.Name: "IReadOnlyList" or "IReadOnlyCollection" or "IEnumerable" });
            default:
                return true;
        }
    }

    /// <summary>Inside an <c>if</c> whose condition looks a key up: the branch that creates a missing entry.</summary>
    private static bool IsGuardedByLookup(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IConditionalOperation conditional
                && conditional.Condition.DescendantsAndSelf().OfType<IInvocationOperation>().Any(call => call.TargetMethod.Name is "TryGetValue" or "ContainsKey"))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsSentRequestProperty(ISimpleAssignmentOperation assignment) =>
        assignment.Parent is IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation creation }
        && Parent(creation) is IArgumentOperation { Parent: IInvocationOperation call }
        && _callSites.TryGetCallSite(call, out _);

    private static IOperation? Parent(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    private static bool IsLimiting(string methodName) =>
        Array.IndexOf(Limiters, methodName) >= 0 || LimitingWords.Any(word => methodName.IndexOf(word, StringComparison.Ordinal) >= 0);

    /// <summary>The member's initializer or a constructor: a value assigned there starts the history, it does not reset it.</summary>
    private static bool IsInitialization(SyntaxNode node) =>
        node.Ancestors().Any(a => a is ConstructorDeclarationSyntax or VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax } or PropertyDeclarationSyntax { Initializer: not null });

    /// <summary>A chat reducer in the type (Microsoft.Extensions.AI's <c>UseChatReducer</c>, Semantic Kernel's history
    /// reducers) trims what is sent even though the list grows.</summary>
    public static bool MentionsAReducer(SyntaxNode type) =>
        type.DescendantTokens().Any(token => token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText.Contains("Reducer"));
}
