using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// Histories kept one per conversation (a chat, user or session id) in a dictionary that outlives each message: held
/// by a field or property, or by a top-level program's local that its handlers (lambdas, local functions) read. How an
/// entry is fetched, created and stored.
/// </summary>
internal static class HistoryEntries
{
    /// <summary>Calls that return the entry of a key, creating it when missing (<c>GetOrAdd</c>).</summary>
    private static readonly string[] Fetches = { "GetOrAdd", "GetValueOrDefault" };

    /// <summary>Calls that read entries or add new ones, and never drop or replace one.</summary>
    private static readonly string[] KeepEveryEntry = { "GetOrAdd", "GetValueOrDefault", "TryGetValue", "ContainsKey", "TryAdd", "Add" };

    /// <summary>Calls on the dictionary that cannot drop or replace an entry's messages.</summary>
    public static bool KeepsEveryEntry(string methodName) => Array.IndexOf(KeepEveryEntry, methodName) >= 0;

    /// <summary>A fetch of one entry: <c>histories.GetOrAdd(id, …)</c>, <c>histories[id]</c>, <c>histories.GetValueOrDefault(id)</c>.</summary>
    public static bool IsFetch(IOperation operation, out ISymbol? holder, out IOperation? key)
    {
        holder = null;
        key = null;
        switch (operation)
        {
            case IInvocationOperation call when Array.IndexOf(Fetches, call.TargetMethod.Name) >= 0 && Receiver(call) is { } receiver:
                holder = Holder(receiver);
                key = call.Arguments.FirstOrDefault(a => !ReferenceEquals(ValueTracer.Unwrap(a.Value), receiver))?.Value;
                break;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } instance } indexer:
                holder = Holder(instance);
                key = indexer.Arguments[0].Value;
                break;
        }

        return holder is not null && key is not null;
    }

    /// <summary><c>histories.TryGetValue(id, out var history)</c>: the out argument that receives <paramref name="local"/>'s entry.</summary>
    public static bool IsTryGetValueOut(IArgumentOperation argument, ILocalSymbol local, out ISymbol? holder, out IOperation? key)
    {
        holder = null;
        key = null;
        if (argument.Parameter?.RefKind != RefKind.Out
            || argument.Parent is not IInvocationOperation { TargetMethod.Name: "TryGetValue", Arguments.Length: 2 } call
            || Unwrap(argument.Value) is not ILocalReferenceOperation target
            || !SymbolEqualityComparer.Default.Equals(target.Local, local)
            || Receiver(call) is not { } receiver)
        {
            return false;
        }

        holder = Holder(receiver);
        key = call.Arguments[0].Value;
        return holder is not null;
    }

    /// <summary>How a rule names an entry: <c>_histories[chatId]</c>.</summary>
    public static string Name(ISymbol holder, IOperation key)
    {
        string text = key.Syntax.ToString();
        return $"{holder.Name}[{(text.Length <= 40 ? text : "…")}]";
    }

    /// <summary>A new, empty history (or one holding only the messages written in its initializer).</summary>
    public static bool IsFresh(IOperation value) => ValueTracer.Unwrap(value) switch
    {
        IObjectCreationOperation creation => !creation.Arguments.Any(a => HistoryOrigin.IsSequence(a.Value.Type)),
        ICollectionExpressionOperation collection => !collection.Elements.Any(e => e is ISpreadOperation),
        _ => false,
    };

    /// <summary>The instance a call is made on, or the first argument of an extension method.</summary>
    public static IOperation? Receiver(IInvocationOperation call) =>
        call.Instance is { } instance ? ValueTracer.Unwrap(instance)
        : call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? ValueTracer.Unwrap(call.Arguments[0].Value)
        : null;

    /// <summary>The field, property or program local that holds a dictionary of histories, or null.</summary>
    public static ISymbol? Holder(IOperation dictionary)
    {
        var operation = ValueTracer.Unwrap(dictionary);
        if (!IsDictionary(operation.Type))
        {
            return null;
        }

        return operation switch
        {
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field when !field.Field.IsConst => field.Field,
            IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.Parameters.Length: 0 } property => property.Property,
            ILocalReferenceOperation local when IsProgramLocalReadByHandler(local) => local.Local,
            _ => null,
        };
    }

    private static bool IsDictionary(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && (IsDictionaryInterface(named) || named.AllInterfaces.Any(IsDictionaryInterface));

    private static bool IsDictionaryInterface(INamedTypeSymbol type) =>
        type is { Name: "IDictionary" or "IReadOnlyDictionary", TypeArguments.Length: 2 }
        && type.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic";

    /// <summary>
    /// A local of a top-level program read inside a lambda or local function: it lives as long as the process, across
    /// every call of the handler that reads it.
    /// </summary>
    private static bool IsProgramLocalReadByHandler(ILocalReferenceOperation reference) =>
        reference.Local.DeclaringSyntaxReferences.Length == 1
        && reference.Local.DeclaringSyntaxReferences[0].GetSyntax().FirstAncestorOrSelf<GlobalStatementSyntax>() is not null
        && reference.Syntax.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);

    private static IOperation Unwrap(IOperation operation) =>
        ValueTracer.Unwrap(operation) is IDeclarationExpressionOperation declaration ? ValueTracer.Unwrap(declaration.Expression) : ValueTracer.Unwrap(operation);
}
