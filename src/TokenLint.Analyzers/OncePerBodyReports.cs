using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers;

/// <summary>
/// For rules analysed per member body, so that a value built a few statements before the call is reported locally
/// to the member (IDEs then offer the fix): a value sent by several calls is reported once, per body for values in
/// it, per compilation for values outside every body (shared fields). One per compilation.
/// </summary>
internal sealed class OncePerBodyReports
{
    private readonly ConcurrentDictionary<Location, bool> _reportedOutsideBodies = new();

    /// <summary>
    /// Calls <paramref name="analyze"/> for every invocation in the block that may be a model call or define a
    /// request, and with <paramref name="promptSenders"/> send a prompt through a method of this compilation (the
    /// catalog finds them by name), with a test that is true the first time a location is reported.
    /// </summary>
    public void ForEachModelInvocation(OperationBlockAnalysisContext block, ModelCallSiteCatalog callSites, bool promptSenders, Action<IInvocationOperation, Func<Location, bool>> analyze)
    {
        var invocations = callSites.ModelInvocationsIn(block.OperationBlocks, promptSenders);
        if (invocations.Count == 0)
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
}
