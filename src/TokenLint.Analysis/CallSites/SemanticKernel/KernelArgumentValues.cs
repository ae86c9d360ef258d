using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// What a <c>KernelArguments</c> handed to a call holds, as far as the code shows: the values its initializer
/// (<c>["name"] = value</c>, <c>{ "name", value }</c>) and, for a local, <c>arguments["name"] = value</c> statements
/// in the same body give each name (names ignore case, as the kernel's do), and the execution settings it was
/// created with.
/// </summary>
internal sealed class KernelArgumentValues
{
    private readonly Dictionary<string, List<IOperation>> _values = new(StringComparer.OrdinalIgnoreCase);

    private KernelArgumentValues(IObjectCreationOperation creation, bool isShared)
    {
        Creation = creation;
        IsShared = isShared;
    }

    public IObjectCreationOperation Creation { get; }

    /// <summary>True when the arguments also reach other calls (a field, or a local read more than once).</summary>
    public bool IsShared { get; }

    /// <summary><c>new KernelArguments(settings)</c>: the settings argument, or null.</summary>
    public IOperation? Settings(INamedTypeSymbol? settingsType) =>
        Creation.Arguments.FirstOrDefault(a => a.ArgumentKind != ArgumentKind.DefaultValue && SdkSymbols.Is(a.Parameter?.Type, settingsType))?.Value;

    /// <summary>True when the arguments were created from something other than one settings object (a list of
    /// settings, a dictionary of values): what they carry is not read.</summary>
    public bool HasUnreadContent(INamedTypeSymbol? settingsType) =>
        Creation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.DefaultValue && !SdkSymbols.Is(a.Parameter?.Type, settingsType));

    /// <summary>
    /// The value a name is given, when the code gives it exactly one, or only ever the same local; else null.
    /// For the same local given several times, the last assignment: the one a loop repeats before each call, which is where
    /// a transcript reaches the arguments again (the initializer only copied its first value).
    /// </summary>
    public IOperation? ValueOf(string name)
    {
        if (!_values.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count == 1)
        {
            return values[0];
        }

        var first = ValueTracer.Unwrap(values[0]) as ILocalReferenceOperation;
        return first is not null && values.All(v => ValueTracer.Unwrap(v) is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, first.Local))
            ? values[values.Count - 1]
            : null;
    }

    /// <summary>Follows an expression to the <c>KernelArguments</c> it was created as, or returns null.</summary>
    public static KernelArgumentValues? Trace(IOperation? expression, INamedTypeSymbol? kernelArguments)
    {
        if (expression is null || kernelArguments is null)
        {
            return null;
        }

        var operation = ValueTracer.Unwrap(expression);
        bool shared = false;
        ILocalSymbol? local = null;
        for (int depth = 0; depth < ValueTracer.MaxDepth && operation is not IObjectCreationOperation; depth++)
        {
            if (operation is ILocalReferenceOperation reference)
            {
                local ??= reference.Local;
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var value, out bool isShared))
            {
                return null;
            }

            shared |= isShared;
            operation = ValueTracer.Unwrap(value);
        }

        if (operation is not IObjectCreationOperation creation || !SdkSymbols.Is(creation.Type, kernelArguments))
        {
            return null;
        }

        var values = new KernelArgumentValues(creation, shared);
        foreach (var initializer in creation.Initializer?.Initializers ?? Enumerable.Empty<IOperation>())
        {
            switch (initializer)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer } assignment:
                    values.Add(indexer.Arguments[0].Value, assignment.Value);
                    break;
                case IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 2 } add:
                    values.Add(add.Arguments[0].Value, add.Arguments[1].Value);
                    break;
            }
        }

        if (local is not null && expression.SemanticModel is { } semanticModel)
        {
            values.AddWritesInBody(local, semanticModel);
        }

        return values;
    }

    private void Add(IOperation key, IOperation value)
    {
        if (key.ConstantValue is { HasValue: true, Value: string name })
        {
            if (!_values.TryGetValue(name, out var list))
            {
                _values[name] = list = new List<IOperation>();
            }

            list.Add(value);
        }
    }

    /// <summary><c>arguments["name"] = value</c> and <c>arguments.Add("name", value)</c> on the local, in its body.</summary>
    private void AddWritesInBody(ILocalSymbol local, SemanticModel semanticModel)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || ValueTracer.EnclosingBody(local.DeclaringSyntaxReferences[0].GetSyntax()) is not { } body)
        {
            return;
        }

        foreach (var identifier in ValueTracer.ReferencesTo(local, body, semanticModel))
        {
            switch (identifier.Parent)
            {
                case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } element
                    when element.Expression == identifier
                    && element.Parent is AssignmentExpressionSyntax assignment
                    && assignment.Left == element
                    && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                    && semanticModel.GetOperation(element.ArgumentList.Arguments[0].Expression) is { } key
                    && semanticModel.GetOperation(assignment.Right) is { } value:
                    Add(key, value);
                    break;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add" } access
                    when access.Expression == identifier
                    && access.Parent is InvocationExpressionSyntax call
                    && semanticModel.GetOperation(call) is IInvocationOperation { Arguments.Length: 2 } add:
                    Add(add.Arguments[0].Value, add.Arguments[1].Value);
                    break;
            }
        }
    }
}
