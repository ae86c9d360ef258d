using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// The properties set on a request or options object (<c>ChatCompletionOptions</c>, <c>MessageCreateParams</c>,
/// <c>ChatOptions</c>…): by its object initializer, and for a local also by <c>local.Property = value</c>
/// statements in the same body. A property written twice is unknown.
/// </summary>
public sealed class ObjectSettings
{
    private readonly Dictionary<string, IOperation?> _properties = new(StringComparer.Ordinal);

    private ILocalSymbol? _local;
    private SemanticModel? _semanticModel;

    private ObjectSettings(IObjectCreationOperation creation, bool isShared)
    {
        Creation = creation;
        IsShared = isShared;
    }

    public IObjectCreationOperation Creation { get; }

    /// <summary>True when the object also reaches other calls (a field, or a local read more than once).</summary>
    public bool IsShared { get; }

    /// <summary>The value assigned to <paramref name="propertyName"/>, or null when unset or ambiguous.</summary>
    public IOperation? Get(string propertyName) => _properties.TryGetValue(propertyName, out var value) ? value : null;

    public bool IsSet(string propertyName) => _properties.ContainsKey(propertyName);

    /// <summary>Follows <paramref name="expression"/> to the object creation it came from, or returns null.</summary>
    public static ObjectSettings? Trace(IOperation? expression)
    {
        if (expression is null)
        {
            return null;
        }

        var operation = ValueTracer.Unwrap(expression);
        bool shared = false;
        ILocalSymbol? local = null;
        for (int depth = 0; depth < ValueTracer.MaxDepth && operation is not IObjectCreationOperation; depth++)
        {
            if (operation is ILocalReferenceOperation localReference)
            {
                local ??= localReference.Local;
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var value, out bool isShared))
            {
                return null;
            }

            shared |= isShared;
            operation = ValueTracer.Unwrap(value);
        }

        if (operation is not IObjectCreationOperation creation)
        {
            return null;
        }

        var settings = new ObjectSettings(creation, shared);
        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
                {
                    settings.Set(property.Property.Name, assignment.Value);
                }
                else if (member is IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation nestedProperty } nested)
                {
                    // Tools = { tool }: a collection property filled in place.
                    settings.Set(nestedProperty.Property.Name, nested.Initializer);
                }
            }
        }

        if (local is not null && expression.SemanticModel is { } semanticModel)
        {
            settings._local = local;
            settings._semanticModel = semanticModel;
            settings.AddLaterAssignments(local, semanticModel);
        }

        return settings;
    }

    private void Set(string name, IOperation value) => _properties[name] = value;

    /// <summary>
    /// <c>Add</c> and <c>AddRange</c> calls on a collection property of a local object, in its body:
    /// <c>options.Tools.Add(tool)</c>. Nothing for an object that is not a local.
    /// </summary>
    public IEnumerable<IInvocationOperation> AddsTo(string propertyName)
    {
        if (_local is null || _semanticModel is null
            || _local.DeclaringSyntaxReferences.Length != 1
            || ValueTracer.EnclosingBody(_local.DeclaringSyntaxReferences[0].GetSyntax()) is not { } body)
        {
            yield break;
        }

        foreach (var identifier in ValueTracer.ReferencesTo(_local, body, _semanticModel))
        {
            if (identifier.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } property
                && name == propertyName
                && property.Expression == identifier
                && property.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add" or "AddRange" } add
                && add.Parent is InvocationExpressionSyntax call
                && _semanticModel.GetOperation(call) is IInvocationOperation invocation)
            {
                yield return invocation;
            }
        }
    }

    private void AddLaterAssignments(ILocalSymbol local, SemanticModel semanticModel)
    {
        var assignedAfterCreation = new HashSet<string>(StringComparer.Ordinal);
        if (local.DeclaringSyntaxReferences.Length != 1
            || ValueTracer.EnclosingBody(local.DeclaringSyntaxReferences[0].GetSyntax()) is not { } body)
        {
            return;
        }

        foreach (var identifier in ValueTracer.ReferencesTo(local, body, semanticModel))
        {
            if (identifier.Parent is MemberAccessExpressionSyntax access
                && access.Expression == identifier
                && ValueTracer.IsWrite(access, out var assigned))
            {
                string name = access.Name.Identifier.ValueText;
                var value = assigned is null ? null : semanticModel.GetOperation(assigned);
                // A second write makes the value depend on the path taken: unknown.
                _properties[name] = assignedAfterCreation.Add(name) ? value : null;
            }
        }
    }
}
