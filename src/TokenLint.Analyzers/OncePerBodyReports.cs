using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analyzers;

/// <summary>
/// For rules analysed per member body, so that a value built a few statements before the call is reported locally
/// to the member (IDEs then offer the fix): a value sent by several calls is reported once, per body for values in
/// it, per compilation for values outside every body (shared fields). One per compilation.
/// </summary>
internal sealed class OncePerBodyReports
{
    /// <summary>
    /// The invocations of each member's operation blocks, keyed by its first block: the compiler hands every
    /// analyzer the same blocks of a member, so the rules that look at a body's calls walk its tree once between
    /// them rather than once each.
    /// </summary>
    private static readonly ConditionalWeakTable<IOperation, IInvocationOperation[]> InvocationsByBody = new();

    private readonly ConcurrentDictionary<Location, bool> _reportedOutsideBodies = new();

    /// <summary>
    /// Calls <paramref name="analyze"/> for every invocation in the block, with a test that is true the first time
    /// a location is reported.
    /// </summary>
    public void ForEachInvocation(OperationBlockAnalysisContext block, Action<IInvocationOperation, Func<Location, bool>> analyze)
    {
        var invocations = Invocations(block.OperationBlocks);
        if (invocations.Length == 0)
        {
            return;
        }

        var reportedInBody = new HashSet<Location>();
        bool FirstReport(Location location) =>
            block.OperationBlocks.Any(root => root.Syntax.SyntaxTree == location.SourceTree && root.Syntax.Span.Contains(location.SourceSpan))
                ? reportedInBody.Add(location)
                : _reportedOutsideBodies.TryAdd(location, true);

        foreach (var invocation in invocations)
        {
            analyze(invocation, FirstReport);
        }
    }

    private static IInvocationOperation[] Invocations(ImmutableArray<IOperation> blocks) =>
        blocks.IsEmpty ? Array.Empty<IInvocationOperation>() : InvocationsByBody.GetValue(blocks[0], _ => Collect(blocks));

    /// <summary>The invocations of the blocks in tree order (as <c>DescendantsAndSelf</c> lists them), without LINQ.</summary>
    private static IInvocationOperation[] Collect(ImmutableArray<IOperation> blocks)
    {
        List<IInvocationOperation>? found = null;
        var pending = new Stack<IOperation>();
        var children = new List<IOperation>();
        foreach (var root in blocks)
        {
            pending.Push(root);
            while (pending.Count > 0)
            {
                var operation = pending.Pop();
                if (operation.Kind == OperationKind.Invocation)
                {
                    (found ??= new List<IInvocationOperation>()).Add((IInvocationOperation)operation);
                }

                children.Clear();
                foreach (var child in operation.ChildOperations)
                {
                    children.Add(child);
                }

                for (int i = children.Count - 1; i >= 0; i--)
                {
                    pending.Push(children[i]);
                }
            }
        }

        return found?.ToArray() ?? Array.Empty<IInvocationOperation>();
    }
}
