using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL3003's flag loops: <c>while (running)</c>, <c>while (!done)</c>, <c>do { } while (keepGoing)</c> where the flag
/// changes to its exit value only where the model stops asking for tools. Any other way out (a user command, a
/// counter, a catch, a <c>break</c> or <c>throw</c> on another test, a flag a lambda or another method can set)
/// makes the loop someone else's to end, and the rule stays quiet.
/// </summary>
internal static class ToolFlagLoop
{
    /// <summary>True when the loop's condition is a local flag that only the model's end of tool requests clears.</summary>
    public static bool IsClearedOnlyWhenToolsStop(ILoopOperation loop, IOperation condition, IOperation[] body)
    {
        // while (running) ends when the flag turns false; while (!done) when it turns true.
        var test = ValueTracer.Unwrap(condition);
        bool exitValue = test is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not };
        if (test is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            test = ValueTracer.Unwrap(not.Operand);
        }

        if (test is not ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } flag }
            || !loop.Body.DescendantsAndSelf().Any(ToolSignals.IsToolSignal)
            || !OnlyPlainWrites(flag, loop))
        {
            return false;
        }

        var toolLocals = ToolLocals(body);
        bool exitsWhenToolsStop = false, resetsToExit = false, continuesOnTools = false;
        foreach (var assignment in body.OfType<ISimpleAssignmentOperation>())
        {
            if (assignment.Target is not ILocalReferenceOperation target || !SymbolEqualityComparer.Default.Equals(target.Local, flag))
            {
                continue;
            }

            if (assignment.Value.ConstantValue is not { HasValue: true, Value: bool value })
            {
                // keepGoing = completion.FinishReason == ChatFinishReason.ToolCalls;
                if (!OnlyToolTests(assignment.Value, toolLocals))
                {
                    return false;
                }

                exitsWhenToolsStop = true;
                continue;
            }

            var guard = Guard(assignment, loop);
            bool toolGuard = guard is not null && IsToolGuard(guard, toolLocals);
            if (value == exitValue)
            {
                if (guard is null)
                {
                    resetsToExit = true;
                }
                else if (toolGuard)
                {
                    exitsWhenToolsStop = true;
                }
                else
                {
                    return false;
                }
            }
            else
            {
                continuesOnTools |= toolGuard;
            }
        }

        return (resetsToExit ? continuesOnTools : exitsWhenToolsStop) && !ExitsOtherwise(loop, body, toolLocals);
    }

    /// <summary>
    /// Locals that hold the model's tool requests: a list of tool calls, a value read from a tool signal, or a
    /// <c>bool</c> set to a constant under a test of one (<c>if (block.TryPickToolUse(out _)) hasToolCalls = true;</c>).
    /// </summary>
    public static HashSet<ILocalSymbol> ToolLocals(IOperation[] body)
    {
        var toolLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in body)
        {
            if (operation is IVariableDeclaratorOperation declarator
                && (ToolSignals.IsToolCallCollection(declarator.Symbol.Type)
                    || declarator.GetVariableInitializer()?.Value is { } initial && initial.DescendantsAndSelf().Any(ToolSignals.IsToolSignal)))
            {
                toolLocals.Add(declarator.Symbol);
            }
            else if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                && assignment.Value.DescendantsAndSelf().Any(ToolSignals.IsToolSignal))
            {
                toolLocals.Add(target.Local);
            }
        }

        foreach (var assignment in body.OfType<ISimpleAssignmentOperation>())
        {
            if (assignment.Target is ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } local }
                && assignment.Value.ConstantValue.HasValue
                && Guard(assignment, null) is { } guard && IsToolGuard(guard, toolLocals))
            {
                toolLocals.Add(local);
            }
        }

        return toolLocals;
    }

    /// <summary>
    /// The flag is a local that only simple assignments write, and no lambda or local function that could run
    /// elsewhere (an event handler, a callback) touches it.
    /// </summary>
    private static bool OnlyPlainWrites(ILocalSymbol flag, ILoopOperation loop)
    {
        var root = (IOperation)loop;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var reference in root.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, flag))
            {
                continue;
            }

            var parent = reference.Parent;
            if (parent is IArgumentOperation { Parameter.RefKind: not RefKind.None } or ICompoundAssignmentOperation or IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation or ITupleOperation
                || InsideFunctionOutside(reference, loop))
            {
                return false;
            }
        }

        return true;
    }

    private static bool InsideFunctionOutside(IOperation operation, ILoopOperation loop)
    {
        for (var current = operation.Parent; current is not null && current != loop; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The nearest test that decides whether an operation runs: an <c>if</c> or <c>?:</c> (not when the operation is in
    /// its condition), a <c>case</c>, a <c>catch</c>, or an inner loop; null when it runs on every turn.
    /// </summary>
    private static IOperation? Guard(IOperation operation, ILoopOperation? loop)
    {
        var child = operation;
        for (var current = operation.Parent; current is not null && current != loop; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IConditionalOperation conditional when child != conditional.Condition:
                case ISwitchCaseOperation:
                case ICatchClauseOperation:
                case ILoopOperation:
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } when child == ((IBinaryOperation)current).RightOperand:
                case ICoalesceOperation coalesce when child == coalesce.WhenNull:
                    return current;
            }
        }

        return null;
    }

    /// <summary>An <c>if</c> or <c>case</c> that tests only what the model asked for: tool requests or the finish reason.</summary>
    private static bool IsToolGuard(IOperation guard, HashSet<ILocalSymbol> toolLocals) => guard switch
    {
        IConditionalOperation conditional => OnlyToolTests(conditional.Condition, toolLocals),
        ISwitchCaseOperation section => section.Clauses.Length > 0
            && section.Clauses.All(clause => clause is not IDefaultCaseClauseOperation && clause.DescendantsAndSelf().Any(o => IsToolTest(o, toolLocals))),
        _ => false,
    };

    /// <summary>
    /// Every operand of the <c>&amp;&amp;</c>, <c>||</c> and <c>!</c> in <paramref name="test"/> reads a tool signal,
    /// a tool local or the finish reason: nothing else (a counter, a user command) decides it.
    /// </summary>
    private static bool OnlyToolTests(IOperation test, HashSet<ILocalSymbol> toolLocals)
    {
        test = ValueTracer.Unwrap(test);
        return test switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical =>
                OnlyToolTests(logical.LeftOperand, toolLocals) && OnlyToolTests(logical.RightOperand, toolLocals),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not => OnlyToolTests(not.Operand, toolLocals),
            // Lambdas count: response.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any()).
            _ => test.DescendantsAndSelf().Any(o => IsToolTest(o, toolLocals)),
        };
    }

    private static bool IsToolTest(IOperation operation, HashSet<ILocalSymbol> toolLocals) =>
        ToolSignals.IsToolSignal(operation) || ToolSignals.IsFinishReason(operation)
        || operation is ILocalReferenceOperation local && toolLocals.Contains(local.Local);

    /// <summary>A <c>break</c> out of the loop, a <c>return</c>, a <c>throw</c> or a <c>goto</c> that does not wait for the model to stop asking for tools.</summary>
    private static bool ExitsOtherwise(ILoopOperation loop, IOperation[] body, HashSet<ILocalSymbol> toolLocals) =>
        body.Any(operation =>
            (operation is IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldBreak } or IThrowOperation
                || operation is IBranchOperation { BranchKind: BranchKind.GoTo }
                || operation is IBranchOperation { BranchKind: BranchKind.Break } exit && SymbolEqualityComparer.Default.Equals(exit.Target, loop.ExitLabel))
            && !(Guard(operation, loop) is { } guard && IsToolGuard(guard, toolLocals)));
}
