using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// The first message of a conversation rewritten in place on every turn of a loop that sends the whole, growing
/// conversation (<c>chatHistory[0].Content = $"…{searchResults}"</c>, <c>messages[0] = new SystemChatMessage(…)</c>,
/// <c>history.Insert(0, …)</c>): the text the provider would cache ahead of the history changes every turn.
/// </summary>
public sealed class FirstMessageRewrite
{
    public FirstMessageRewrite(PromptPart part, SyntaxNode loop)
    {
        Part = part;
        Loop = loop;
    }

    /// <summary>The new first message.</summary>
    public PromptPart Part { get; }

    /// <summary>The loop whose every turn rewrites it and sends the conversation.</summary>
    public SyntaxNode Loop { get; }

    /// <summary>
    /// True when <paramref name="syntax"/> reads a local that the loop declares or assigns: a value that may change
    /// from one turn to the next.
    /// </summary>
    public bool ReadsTurnValue(SyntaxNode syntax, SemanticModel semanticModel)
    {
        foreach (var identifier in syntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (semanticModel.GetSymbolInfo(identifier).Symbol is not ILocalSymbol local || local.IsConst
                || local.DeclaringSyntaxReferences.Length != 1)
            {
                continue;
            }

            if (Loop.Span.Contains(local.DeclaringSyntaxReferences[0].Span)
                || ValueTracer.ReferencesTo(local, Loop, semanticModel).Any(r => ValueTracer.IsWrite(r, out _)))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Finds <see cref="FirstMessageRewrite"/>s for a model call.</summary>
internal static class FirstMessageRewrites
{
    private static readonly IReadOnlyList<FirstMessageRewrite> None = System.Array.Empty<FirstMessageRewrite>();

    /// <summary>
    /// The rewrites of element 0 of the conversation a call sends, inside the innermost loop around the call that
    /// also grows the conversation (adds messages to it); the conversation is a local declared before that loop.
    /// </summary>
    public static IReadOnlyList<FirstMessageRewrite> Of(ModelCallSite callSite, CallSiteReader reader)
    {
        if (callSite.Conversation is null
            || ValueTracer.Unwrap(callSite.Conversation) is not ILocalReferenceOperation { SemanticModel: { } semanticModel } history
            || history.Local.DeclaringSyntaxReferences.Length != 1
            || Loop(callSite.Invocation.Syntax) is not { } loop
            || loop.Span.Contains(history.Local.DeclaringSyntaxReferences[0].Span))
        {
            return None;
        }

        bool grows = false;
        var rewrites = new List<IOperation>();
        var textRewrites = new List<IOperation>();
        foreach (var identifier in ValueTracer.ReferencesTo(history.Local, loop, semanticModel))
        {
            switch (identifier.Parent)
            {
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name, Parent: InvocationExpressionSyntax call } access when access.Expression == identifier:
                    if (name == "Insert" && call.ArgumentList.Arguments is [{ Expression: { } index }, { Expression: { } inserted }] && IsZero(index, semanticModel))
                    {
                        AddOperation(rewrites, inserted, semanticModel);
                    }
                    else if (name.StartsWith("Add", System.StringComparison.Ordinal))
                    {
                        grows = true;
                    }

                    break;
                case ElementAccessExpressionSyntax { ArgumentList.Arguments: [{ Expression: { } position }] } element when element.Expression == identifier && IsZero(position, semanticModel):
                    if (element.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } replaced && replaced.Left == element)
                    {
                        AddOperation(rewrites, replaced.Right, semanticModel);
                    }
                    else if (element.Parent is MemberAccessExpressionSyntax { Parent: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assigned } property
                        && assigned.Left == property
                        && semanticModel.GetOperation(property) is IPropertyReferenceOperation { Property: var text }
                        && reader.Types.Surfaces.Any(sdk => sdk.IsMessageText(text)))
                    {
                        AddOperation(textRewrites, assigned.Right, semanticModel);
                    }

                    break;
            }
        }

        if (!grows || rewrites.Count + textRewrites.Count == 0)
        {
            return None;
        }

        var parts = new List<PromptPart>();
        foreach (var message in rewrites)
        {
            reader.Prompts.AddMessages(parts, message);
        }

        foreach (var text in textRewrites)
        {
            PromptPartCollector.AddText(parts, PromptRole.Unknown, text);
        }

        return parts.Where(p => !p.IsOpaque).Select(p => new FirstMessageRewrite(p, loop)).ToList();
    }

    private static void AddOperation(List<IOperation> operations, ExpressionSyntax syntax, SemanticModel semanticModel)
    {
        if (semanticModel.GetOperation(syntax) is { } operation)
        {
            operations.Add(operation);
        }
    }

    private static bool IsZero(ExpressionSyntax index, SemanticModel semanticModel) =>
        semanticModel.GetConstantValue(index) is { HasValue: true, Value: 0 };

    /// <summary>
    /// The innermost loop whose body runs the call on every turn: not a <c>foreach</c> whose collection is the call
    /// itself (a streamed response), nor one in a lambda or local function around the call.
    /// </summary>
    private static SyntaxNode? Loop(SyntaxNode call)
    {
        SyntaxNode child = call;
        foreach (var ancestor in call.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
                case CommonForEachStatementSyntax forEach when forEach.Statement == child:
                case WhileStatementSyntax whileLoop when whileLoop.Statement == child:
                case DoStatementSyntax doLoop when doLoop.Statement == child:
                case ForStatementSyntax forLoop when forLoop.Statement == child:
                    return ancestor;
            }

            child = ancestor;
        }

        return null;
    }
}
