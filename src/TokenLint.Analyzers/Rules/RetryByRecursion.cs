using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL3001's retry by recursion: a <c>catch</c> around a model call that calls the method it is in again
/// with the arguments it received (<c>catch (JsonException) { return await AskAsync(prompt); }</c>), with nothing that
/// can end the chain: no count, deadline, flag or cancellation token handed on, no condition on anything but the exception, no counter changed
/// and no rethrow in the <c>catch</c>. Each failure bills another full request, until the stack overflows.
/// </summary>
internal static class RetryByRecursion
{
    /// <summary>The call in one of the try's catches that starts the method over without a bound, or null.</summary>
    public static IInvocationOperation? Find(ITryOperation attempt, ISymbol? containing, ModelCallSiteCatalog callSites)
    {
        if (containing is not IMethodSymbol method || attempt.Catches.IsEmpty)
        {
            return null;
        }

        foreach (var handler in attempt.Catches)
        {
            // Cheapest first: the method's name written in the catch, before any operation is walked.
            if (!NamesMethod(handler, method.Name)
                || handler.Filter is { } filter && !ReadsOnlyTheException(filter, handler))
            {
                continue;
            }

            var own = LoopBounds.OwnOperations(handler.Handler).ToArray();
            if (own.Any(o => o is IThrowOperation || IsCounterChange(o)) || LoopBounds.IsBounded(null, own))
            {
                continue;
            }

            foreach (var operation in own)
            {
                if (operation is IInvocationOperation call
                    && IsCallOfItself(call, method)
                    && !HandsOnABound(call)
                    && !IsGuarded(call, handler)
                    && LoopBounds.OwnOperations(attempt.Body).OfType<IInvocationOperation>().Any(invocation => callSites.TryGetCallSite(invocation, out _)))
                {
                    return call;
                }
            }
        }

        return null;
    }

    private static bool NamesMethod(ICatchClauseOperation handler, string name)
    {
        foreach (var token in handler.Handler.Syntax.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The same method, on this instance (or static): another object's method is another chain.</summary>
    private static bool IsCallOfItself(IInvocationOperation call, IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition)
        && call.Instance is null or IInstanceReferenceOperation;

    /// <summary>
    /// Any argument other than the parameter as received: a count or deadline (<c>attempt + 1</c>, <c>retriesLeft - 1</c>),
    /// a flag (<c>retried: true</c>), a cancellation token, or another input (a shorter document). The callee can test it
    /// and stop, or the call is a different request; only the same request sent again is a retry.
    /// </summary>
    private static bool HandsOnABound(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (argument.Parameter?.Type.Name == "CancellationToken"
                && ValueTracer.Unwrap(argument.Value) is not (IDefaultValueOperation or IPropertyReferenceOperation { Property.Name: "None" }))
            {
                // A token the caller can cancel ends the chain, even passed on as received.
                return true;
            }

            if (!(ValueTracer.Unwrap(argument.Value) is IParameterReferenceOperation passed && SymbolEqualityComparer.Default.Equals(passed.Parameter, argument.Parameter)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>_failures++</c>, <c>attempt += 1</c>: a count the method can test on its way in.</summary>
    private static bool IsCounterChange(IOperation operation) =>
        operation is IIncrementOrDecrementOperation or ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract };

    /// <summary>
    /// Inside an <c>if</c> (or <c>?:</c>) in the catch whose condition reads more than the exception: a flag, a field, a
    /// clock or a count can change between failures; the exception's type or message says the same thing every time.
    /// </summary>
    private static bool IsGuarded(IOperation call, ICatchClauseOperation handler)
    {
        for (var current = call.Parent; current is not null && current != handler; current = current.Parent)
        {
            if (current is IConditionalOperation conditional && !ReadsOnlyTheException(conditional.Condition, handler)
                || current is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } or ICoalesceOperation or ISwitchOperation or ISwitchExpressionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when every value the condition reads is the caught exception, a constant or a type test of it.</summary>
    private static bool ReadsOnlyTheException(IOperation condition, ICatchClauseOperation handler)
    {
        var exception = handler.Locals.FirstOrDefault();
        foreach (var operation in LoopBounds.OwnOperations(condition))
        {
            bool reads = operation switch
            {
                ILocalReferenceOperation local => !SymbolEqualityComparer.Default.Equals(local.Local, exception),
                IParameterReferenceOperation or IFieldReferenceOperation { Field.IsConst: false } or IInstanceReferenceOperation => true,
                IPropertyReferenceOperation { Instance: null } => true,
                _ => false,
            };
            if (reads)
            {
                return false;
            }
        }

        return true;
    }
}
