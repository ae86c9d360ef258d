using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Collects the prompt text a call sends: message lists written as arrays, collection expressions or list
/// initializers (directly or through a local), and what each SDK's file says its messages hold.
/// </summary>
internal sealed class PromptPartCollector
{
    private readonly SdkTypes _types;

    public PromptPartCollector(SdkTypes types)
    {
        _types = types;
    }

    /// <summary>Adds a single piece of text with a known role.</summary>
    public static void AddText(List<PromptPart> parts, PromptRole role, IOperation? text)
    {
        if (text is not null)
        {
            parts.Add(new PromptPart(role, text, ConstantText(text)));
        }
    }

    /// <summary>Adds every message of a message collection expression.</summary>
    /// <param name="role">The role of every element when the collection says it (Anthropic's system blocks).</param>
    /// <param name="request">The call that sends the messages: messages added after it (the answer, tool results)
    /// belong to the next request, unless a loop around both sends them again.</param>
    public void AddMessages(List<PromptPart> parts, IOperation? messages, PromptRole? role = null, SyntaxNode? request = null)
    {
        if (messages is null)
        {
            return;
        }

        foreach (var element in Elements(messages, 0, request))
        {
            int before = parts.Count;
            AddMessage(parts, element);
            if (role is { } known)
            {
                for (int i = before; i < parts.Count; i++)
                {
                    if (!parts[i].IsOpaque)
                    {
                        parts[i] = new PromptPart(known, parts[i].Text, parts[i].ConstantText, parts[i].CacheMarker);
                    }
                }
            }
        }
    }

    /// <summary>The constant text of an expression, looking through conversions, single-argument wrappers
    /// (<c>new TextBlockParam("…")</c>) and locals or fields with one value.</summary>
    public static string? ConstantText(IOperation text)
    {
        var operation = ValueTracer.Unwrap(text);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            if (operation.ConstantValue is { HasValue: true, Value: string value })
            {
                return value;
            }

            if (operation is IObjectCreationOperation { Arguments.Length: 1 } wrapper && wrapper.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String)
            {
                operation = ValueTracer.Unwrap(wrapper.Arguments[0].Value);
                continue;
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var next, out _))
            {
                return null;
            }

            operation = ValueTracer.Unwrap(next);
        }

        return null;
    }

    /// <summary>The elements of a collection written in this body (array, collection expression, list initializer,
    /// or a local holding one and filled with <c>Add</c>).</summary>
    public static IEnumerable<IOperation> Elements(IOperation collection) => Elements(collection, 0, null);

    private static IEnumerable<IOperation> Elements(IOperation collection, int depth, SyntaxNode? request)
    {
        var operation = ValueTracer.Unwrap(collection);
        switch (operation)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                foreach (var element in initializer.ElementValues)
                {
                    yield return element;
                }

                yield break;
            case ICollectionExpressionOperation expression:
                foreach (var element in expression.Elements)
                {
                    yield return element;
                }

                yield break;
            case IObjectCreationOperation { Initializer: { } listInitializer }:
                foreach (var initializer in listInitializer.Initializers)
                {
                    if (initializer is IInvocationOperation { Arguments.Length: 1 } add)
                    {
                        yield return add.Arguments[0].Value;
                    }
                }

                yield break;
            case ILocalReferenceOperation local when depth < ValueTracer.MaxDepth:
                if (ValueTracer.TryGetSingleValue(local, out var value, out _))
                {
                    foreach (var element in Elements(value, depth + 1, request))
                    {
                        yield return element;
                    }
                }

                foreach (var added in AddedInBody(local, request))
                {
                    yield return added;
                }

                yield break;
            default:
                if (depth < ValueTracer.MaxDepth && ValueTracer.TryGetSingleValue(operation, out var fieldValue, out _))
                {
                    foreach (var element in Elements(fieldValue, depth + 1, request))
                    {
                        yield return element;
                    }
                }

                // A field or a parameter can gain messages anywhere: what it holds at the call is not known.
                yield return operation;
                yield break;
        }
    }

    /// <summary><c>messages.Add(new UserChatMessage("…"))</c> statements on a local list in its body.</summary>
    private static IEnumerable<IOperation> AddedInBody(ILocalReferenceOperation list, SyntaxNode? request)
    {
        var semanticModel = list.SemanticModel;
        if (semanticModel is null
            || list.Local.DeclaringSyntaxReferences.Length != 1
            || ValueTracer.EnclosingBody(list.Local.DeclaringSyntaxReferences[0].GetSyntax()) is not { } body)
        {
            yield break;
        }

        foreach (var identifier in ValueTracer.ReferencesTo(list.Local, body, semanticModel))
        {
            if (identifier.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add" } access
                && access.Expression == identifier
                && access.Parent is InvocationExpressionSyntax call
                && semanticModel.GetOperation(call) is IInvocationOperation { Arguments.Length: 1 } add)
            {
                if (request is null || call.SpanStart < request.SpanStart || SharesALoop(call, request))
                {
                    yield return add.Arguments[0].Value;
                }
            }
            else if (AddsUnknownMessages(identifier) && semanticModel.GetOperation(identifier) is { } unknown)
            {
                yield return unknown;
            }
        }
    }

    /// <summary>True when a loop encloses both nodes: what is added after the call is sent by the next turn.</summary>
    private static bool SharesALoop(SyntaxNode added, SyntaxNode request) =>
        added.Ancestors().Any(a => a is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax && a.Span.Contains(request.Span));

    /// <summary>Method names that send a request: passing the list to these reads it, it does not fill it.</summary>
    private static readonly HashSet<string> RequestMethods = new(SdkTypes.Names.SelectMany(sdk => sdk.MessageReaders), System.StringComparer.Ordinal);

    /// <summary>
    /// A use of a message list that may add messages the code does not show here: <c>AddRange</c>, <c>Insert</c>,
    /// <c>AddMessage</c>, or handing the list to another method.
    /// </summary>
    internal static bool AddsUnknownMessages(IdentifierNameSyntax identifier)
    {
        if (identifier.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var member } access && access.Expression == identifier)
        {
            return member is "AddRange" or "Insert" or "InsertRange" or "AddMessage" or "AddMessages";
        }

        return identifier.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }
            && invocation.Expression switch
            {
                MemberAccessExpressionSyntax callee => !RequestMethods.Contains(callee.Name.Identifier.ValueText),
                IdentifierNameSyntax callee => !RequestMethods.Contains(callee.Identifier.ValueText),
                _ => true,
            };
    }

    private void AddMessage(List<PromptPart> parts, IOperation message)
    {
        if (message is IConversionOperation { OperatorMethod: not null } conversion && AddConvertedMessage(parts, conversion))
        {
            return;
        }

        var operation = ValueTracer.Unwrap(message);
        switch (operation)
        {
            case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol type:
                // A message of a type no SDK knows adds nothing.
                foreach (var sdk in _types.Surfaces)
                {
                    if (sdk.TryAddCreatedMessage(parts, creation, type, this))
                    {
                        break;
                    }
                }

                break;
            case IInvocationOperation invocation when AddFactoryMessage(parts, invocation):
                break;
            case ILocalReferenceOperation or IFieldReferenceOperation when !IsMessageList(operation.Type) && ValueTracer.TryGetSingleValue(operation, out var value, out _):
                AddMessage(parts, value);
                break;
            default:
                // A message this catalog cannot read (a spread of history, a list handed elsewhere, a method
                // result): its text is unknown.
                parts.Add(PromptPart.Opaque(operation));
                break;
        }
    }

    private bool AddConvertedMessage(List<PromptPart> parts, IConversionOperation conversion)
    {
        foreach (var sdk in _types.Surfaces)
        {
            if (sdk.TryAddConvertedMessage(parts, conversion))
            {
                return true;
            }
        }

        return false;
    }

    private bool AddFactoryMessage(List<PromptPart> parts, IInvocationOperation invocation)
    {
        foreach (var sdk in _types.Surfaces)
        {
            if (sdk.TryAddFactoryMessage(parts, invocation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An array, collection expression, list initializer or local that holds a list of messages or blocks.</summary>
    internal static bool IsCollection(IOperation operation) =>
        ValueTracer.Unwrap(operation) is IArrayCreationOperation or ICollectionExpressionOperation or IObjectCreationOperation { Initializer: IObjectOrCollectionInitializerOperation { Initializers.Length: > 0 } } or ILocalReferenceOperation
        && IsMessageList(ValueTracer.Unwrap(operation).Type);

    /// <summary>An array or list of messages or blocks, not a single message (strings are not lists here).</summary>
    private static bool IsMessageList(ITypeSymbol? type) =>
        type is IArrayTypeSymbol
        || (type is INamedTypeSymbol named && named.SpecialType != SpecialType.System_String && named.AllInterfaces.Any(i => i.Name == "IEnumerable"));

    internal static PromptRole RoleFromName(string name)
    {
        if (name.IndexOf("System", System.StringComparison.Ordinal) >= 0 || name.IndexOf("Developer", System.StringComparison.Ordinal) >= 0)
        {
            return PromptRole.System;
        }

        if (name.IndexOf("User", System.StringComparison.Ordinal) >= 0)
        {
            return PromptRole.User;
        }

        return name.IndexOf("Assistant", System.StringComparison.Ordinal) >= 0 ? PromptRole.Assistant : PromptRole.Unknown;
    }
}
