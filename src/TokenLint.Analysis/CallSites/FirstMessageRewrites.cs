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
    private readonly ISet<ILocalSymbol> _turnInputs;

    public FirstMessageRewrite(PromptPart part, SyntaxNode loop, ISet<ILocalSymbol> turnInputs)
    {
        Part = part;
        Loop = loop;
        _turnInputs = turnInputs;
    }

    /// <summary>The new first message.</summary>
    public PromptPart Part { get; }

    /// <summary>The loop whose every turn rewrites it and sends the conversation.</summary>
    public SyntaxNode Loop { get; }

    /// <summary>
    /// True when <paramref name="syntax"/> reads a value of the turn: the loop's own variable (a <c>foreach</c>
    /// item, a variable its condition declares), a local of the loop that the turn adds to the conversation (the
    /// user's message), or a local of the loop computed from one of these (the memory recalled for that message).
    /// A local the loop fills from elsewhere alone (a prompt file read on each turn) may hold the same text every turn.
    /// </summary>
    public bool ReadsTurnValue(SyntaxNode syntax, SemanticModel semanticModel) => ReadsTurnValue(syntax, semanticModel, 0);

    private bool ReadsTurnValue(SyntaxNode syntax, SemanticModel semanticModel, int depth)
    {
        foreach (var identifier in syntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (semanticModel.GetSymbolInfo(identifier).Symbol is not ILocalSymbol local || local.IsConst
                || local.DeclaringSyntaxReferences.Length != 1 || !Loop.Span.Contains(local.DeclaringSyntaxReferences[0].Span) && !IsWrittenInLoop(local, semanticModel))
            {
                continue;
            }

            if (_turnInputs.Contains(local) || IsLoopVariable(local))
            {
                return true;
            }

            if (depth < ValueTracer.MaxDepth && ValuesInLoop(local, semanticModel).Any(value => ReadsTurnValue(value, semanticModel, depth + 1)))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsWrittenInLoop(ILocalSymbol local, SemanticModel semanticModel) =>
        ValueTracer.ReferencesTo(local, Loop, semanticModel).Any(r => ValueTracer.IsWrite(r, out _));

    /// <summary>A <c>foreach</c> item, or a variable declared in the loop's condition or header.</summary>
    private bool IsLoopVariable(ILocalSymbol local)
    {
        var declaration = local.DeclaringSyntaxReferences[0].Span;
        return Loop switch
        {
            CommonForEachStatementSyntax forEach => !forEach.Statement.Span.Contains(declaration),
            WhileStatementSyntax whileLoop => whileLoop.Condition.Span.Contains(declaration),
            ForStatementSyntax forLoop => !forLoop.Statement.Span.Contains(declaration),
            _ => false,
        };
    }

    /// <summary>The values the loop gives a local: its initializer when the loop declares it, and what the loop assigns.</summary>
    private IEnumerable<SyntaxNode> ValuesInLoop(ILocalSymbol local, SemanticModel semanticModel)
    {
        if (local.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer } && Loop.Span.Contains(initializer.Span))
        {
            yield return initializer;
        }

        foreach (var reference in ValueTracer.ReferencesTo(local, Loop, semanticModel))
        {
            if (ValueTracer.IsWrite(reference, out var assigned) && assigned is not null)
            {
                yield return assigned;
            }
        }
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
        var turnInputs = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
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
                        AddLocalsRead(turnInputs, call.ArgumentList, semanticModel);
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

        return parts.Where(p => !p.IsOpaque).Select(p => new FirstMessageRewrite(p, loop, turnInputs)).ToList();
    }

    /// <summary>The locals an <c>Add</c> call's arguments read: what the turn adds to the conversation.</summary>
    private static void AddLocalsRead(HashSet<ILocalSymbol> locals, ArgumentListSyntax arguments, SemanticModel semanticModel)
    {
        foreach (var identifier in arguments.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (semanticModel.GetSymbolInfo(identifier).Symbol is ILocalSymbol local)
            {
                locals.Add(local);
            }
        }
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
