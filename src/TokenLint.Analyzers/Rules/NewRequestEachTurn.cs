using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// For TL3001: a loop whose model request reads something the loop takes in anew on every turn asks a new question
/// each time, and a check of the answer ends a game or a poll, not a retry: a line the user types (an argument-free
/// read such as <c>Console.ReadLine()</c>) reaches the request through the body's locals, or part of the previous
/// answer is written into the request (<c>options.ContinuationToken = response.ContinuationToken</c>). A prompt
/// rebuilt from the answer alone (retry with feedback) still resends the same question.
/// </summary>
internal static class NewRequestEachTurn
{
    public static bool Any(IOperation[] body, ImmutableHashSet<ISymbol?> answers, ModelCallSiteCatalog callSites)
    {
        var pending = new Stack<ILocalSymbol>();
        foreach (var operation in body)
        {
            if (operation is IInvocationOperation call && callSites.TryGetCallSite(call, out _))
            {
                foreach (var argument in call.Arguments)
                {
                    PushLocalsOf(argument.Value, pending);
                }
            }
        }

        var seen = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        while (pending.Count > 0)
        {
            var local = pending.Pop();
            if (!seen.Add(local))
            {
                continue;
            }

            foreach (var operation in body)
            {
                var (value, intoMember) = operation switch
                {
                    IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => (initial, false),
                    ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => (assignment.Value, false),
                    ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: ILocalReferenceOperation owner } } assignment when SymbolEqualityComparer.Default.Equals(owner.Local, local) => (assignment.Value, true),
                    _ => (null, false),
                };
                if (value is null)
                {
                    continue;
                }

                if ((intoMember && ReadsAny(value, answers)) || WritesAnswerIntoAMember(value, answers) || ReadsInput(value, callSites))
                {
                    return true;
                }

                PushLocalsOf(value, pending);
            }
        }

        return false;
    }

    private static void PushLocalsOf(IOperation value, Stack<ILocalSymbol> pending)
    {
        foreach (var reference in value.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            pending.Push(reference.Local);
        }
    }

    private static bool ReadsAny(IOperation value, ImmutableHashSet<ISymbol?> answers) =>
        value.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(reference => answers.Contains(reference.Local));

    /// <summary><c>new RunOptions { ContinuationToken = response.ContinuationToken }</c>.</summary>
    private static bool WritesAnswerIntoAMember(IOperation value, ImmutableHashSet<ISymbol?> answers) =>
        value.DescendantsAndSelf().OfType<ISimpleAssignmentOperation>().Any(a => a.Target is IMemberReferenceOperation && ReadsAny(a.Value, answers));

    /// <summary>A read from outside that takes nothing but a cancellation token (<c>Console.ReadLine()</c>, <c>reader.ReadLineAsync(ct)</c>).</summary>
    private static bool ReadsInput(IOperation value, ModelCallSiteCatalog callSites) =>
        value.DescendantsAndSelf().OfType<IInvocationOperation>().Any(invocation =>
            !invocation.TargetMethod.ReturnsVoid
            && invocation.Arguments.All(a => a.ArgumentKind == ArgumentKind.DefaultValue || a.Value.Type?.Name == nameof(System.Threading.CancellationToken))
            && !callSites.TryGetCallSite(invocation, out _));
}
