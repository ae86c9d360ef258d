using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analyzers;

/// <summary>What the loop rules (TL3001, TL3003, TL4004) share: a loop's own operations, and whether anything bounds it. Which SDK values mean "the model asks for tools" is <see cref="TokenLint.Analysis.CallSites.ToolSignals"/>.</summary>
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

    public static bool IsComparison(IOperation operation) =>
        operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual };

    public static bool IsCancellationCheck(IOperation operation) =>
        operation is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" }
            or IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" };
}
