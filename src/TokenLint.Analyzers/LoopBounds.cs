using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analyzers;

/// <summary>What the loop rules (TL3001, TL3003) share: a loop's own operations, and whether anything bounds it.</summary>
internal static class LoopBounds
{
    /// <summary>The condition of a <c>while</c>, <c>do … while</c> or <c>for</c> loop (null for <c>for (;;)</c>).</summary>
    public static IOperation? Condition(ILoopOperation loop) => loop switch
    {
        IWhileLoopOperation whileLoop => whileLoop.Condition,
        IForLoopOperation forLoop => forLoop.Condition,
        _ => null,
    };

    /// <summary>True for <c>while</c>, <c>do … while</c> and <c>for</c> loops; <c>foreach</c> ends with its collection.</summary>
    public static bool IsConditionLoop(ILoopOperation loop) =>
        loop.LoopKind is LoopKind.While or LoopKind.For
        && loop.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.WhileStatementSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.DoStatementSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax;

    /// <summary>Where a loop is reported: its keyword (<c>while</c>, <c>do</c>, <c>for</c>).</summary>
    public static Location KeywordLocation(ILoopOperation loop) => loop.Syntax switch
    {
        Microsoft.CodeAnalysis.CSharp.Syntax.WhileStatementSyntax whileStatement => whileStatement.WhileKeyword.GetLocation(),
        Microsoft.CodeAnalysis.CSharp.Syntax.DoStatementSyntax doStatement => doStatement.DoKeyword.GetLocation(),
        Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax forStatement => forStatement.ForKeyword.GetLocation(),
        _ => loop.Syntax.GetLocation(),
    };

    /// <summary>The operations of a loop body, not those of lambdas or local functions declared in it.</summary>
    public static IEnumerable<IOperation> OwnOperations(IOperation root)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            yield return operation;
            foreach (var child in operation.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    pending.Push(child);
                }
            }
        }
    }

    /// <summary>
    /// A comparison with a counter, budget or deadline in the loop condition, in a catch filter, or in an <c>if</c>
    /// whose branch <c>break</c>s, <c>return</c>s or <c>throw</c>s; or a cancellation check. Any of these can end
    /// the loop.
    /// </summary>
    public static bool IsBounded(IOperation? condition, IReadOnlyCollection<IOperation> body)
    {
        if (condition is not null && OwnOperations(condition).Any(o => IsComparison(o) || IsCancellationCheck(o)))
        {
            return true;
        }

        return body.OfType<IConditionalOperation>().Any(branch =>
                   OwnOperations(branch.Condition).Any(IsComparison)
                   && OwnOperations(branch.WhenTrue).Any(o => o is IBranchOperation { BranchKind: BranchKind.Break } or IReturnOperation or IThrowOperation))
               || body.OfType<ICatchClauseOperation>().Any(c => c.Filter is { } filter && OwnOperations(filter).Any(IsComparison))
               || body.Any(IsCancellationCheck);
    }

    private static bool IsComparison(IOperation operation) =>
        operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual };

    private static bool IsCancellationCheck(IOperation operation) =>
        operation is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" }
            or IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" };

    /// <summary>The model asking for tools: <c>ChatFinishReason.ToolCalls</c>, <c>StopReason.ToolUse</c>,
    /// <c>"tool_use"</c>, an OpenAI <c>ChatCompletion.ToolCalls</c> list, Semantic Kernel's
    /// <c>FunctionCallContent.GetFunctionCalls(...)</c> and <c>FunctionCallContentBuilder.Build()</c>, Anthropic's <c>TryPickToolUse</c>, or a test for a tool-call
    /// type (<c>FunctionCallContent</c>, <c>ToolUseBlock</c>, <c>FunctionCallResponseItem</c>, <c>ChatToolCall</c>).</summary>
    public static bool IsToolSignal(IOperation operation) => operation switch
    {
        IFieldReferenceOperation { Field: { Name: "ToolCalls" or "FunctionCall" } field } => field.ContainingType?.Name == "ChatFinishReason",
        IFieldReferenceOperation { Field: { Name: "ToolUse" } field } => field.ContainingType?.Name == "StopReason",
        IPropertyReferenceOperation { Property: { Name: "ToolCalls", IsStatic: true } property } => property.ContainingType?.Name == "ChatFinishReason",
        IPropertyReferenceOperation { Property: { Name: "ToolCalls", IsStatic: false } property } => property.ContainingType?.Name is "ChatCompletion" or "StreamingChatCompletionUpdate",
        ILiteralOperation { ConstantValue.Value: "tool_use" or "tool_calls" or "requires_action" } => true,
        IInvocationOperation { TargetMethod: { Name: "OfType", IsGenericMethod: true } method } => IsToolCallType(method.TypeArguments[0]),
        IInvocationOperation { TargetMethod: { Name: "GetFunctionCalls", IsStatic: true } method } => method.ContainingType?.Name == "FunctionCallContent",
        IInvocationOperation { TargetMethod.Name: "TryPickToolUse" } => true,
        IInvocationOperation { TargetMethod: { Name: "Build" } build } => build.ContainingType?.Name == "FunctionCallContentBuilder",
        IIsTypeOperation { TypeOperand: { } type } => IsToolCallType(type),
        IIsPatternOperation { Pattern: ITypePatternOperation { MatchedType: { } matched } } => IsToolCallType(matched),
        IIsPatternOperation { Pattern: IDeclarationPatternOperation { MatchedType: { } declared } } => IsToolCallType(declared),
        _ => false,
    };

    /// <summary>A list of tool calls (<c>IReadOnlyList&lt;FunctionCallContent&gt;</c>, <c>IEnumerable&lt;ChatToolCall&gt;</c>…).</summary>
    public static bool IsToolCallCollection(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Length == 1 && IsToolCallType(named.TypeArguments[0])
        || type is IArrayTypeSymbol array && IsToolCallType(array.ElementType);

    private static bool IsToolCallType(ITypeSymbol type) =>
        type.Name is "FunctionCallContent" or "ToolUseBlock" or "FunctionCallResponseItem" or "ChatToolCall";
}
