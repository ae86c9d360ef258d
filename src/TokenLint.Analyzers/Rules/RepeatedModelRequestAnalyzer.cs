using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL5002: the same model request sent twice in one body: the same method on the same client with the same
/// arguments, the first call always made before the second, and nothing between them that can change what the
/// request reads. The second call pays again for the answer the first already has (often the first answer was
/// discarded, or the call is repeated to read another field). Quiet for sampling (a temperature above 0), a
/// retry in a <c>catch</c>, calls in different branches, streaming beside non-streaming, and cached clients.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RepeatedModelRequestAnalyzer : ModelCallAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.RepeatedModelRequest,
        title: "Same model request sent twice",
        messageFormat: "This '{0}' call sends the request of the call on line {1} again: the same client, messages and options, and nothing changes in between, so it pays twice for one answer; reuse the first result",
        RuleCategories.RedundantCalls,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A request sent twice with nothing changed in between bills the same answer twice; keep the first result.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.RepeatedModelRequest));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites)
    {
        if (callSite.IsStreaming || callSite.RequestsVariedAnswers || callSite.ServedFromCache || callSite.ChangesLaterRequests)
        {
            return;
        }

        var second = callSite.Invocation;
        var inputs = RequestInputs.Of(second);
        if (inputs.MayVary)
        {
            return;
        }

        bool SendsRequest(IInvocationOperation invocation) => callSites.TryGetCallSite(invocation, out _);
        foreach (var first in EarlierCalls(second))
        {
            if (!SameRequest(first, second)
                || !callSites.TryGetCallSite(first, out var firstSite)
                || firstSite.IsStreaming
                || AlwaysRunsBefore(first, second) is not { } between
                || new RequestChanges(between, SendsRequest).ChangeAnyOf(inputs)
                || RequestChanges.InFunctionsBesides(second, SendsRequest).ChangeAnyOf(inputs.Symbols.Where(s => s is ILocalSymbol or IParameterSymbol), inputs.Clients))
            {
                continue;
            }

            int line = first.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            context.ReportDiagnostic(Diagnostic.Create(
                Rule, ModelRuleContext.CallLocation(second), new[] { first.Syntax.GetLocation() }, second.TargetMethod.Name, line));
            return;
        }
    }

    /// <summary>The invocations before <paramref name="call"/> in the same body, lambda or local function, first first.</summary>
    private static IEnumerable<IInvocationOperation> EarlierCalls(IInvocationOperation call)
    {
        IOperation root = call;
        while (root.Parent is { } parent && root is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
        {
            root = parent;
        }

        return LoopBounds.OwnOperations(root is IAnonymousFunctionOperation or ILocalFunctionOperation ? root.ChildOperations.First() : root)
            .OfType<IInvocationOperation>()
            .Where(o => o.Syntax.Span.End <= call.Syntax.SpanStart)
            .OrderBy(o => o.Syntax.SpanStart);
    }

    /// <summary>The same method (type arguments included) on the same receiver, with the same arguments written the same way.</summary>
    private static bool SameRequest(IInvocationOperation first, IInvocationOperation second)
    {
        if (!SymbolEqualityComparer.Default.Equals(first.TargetMethod, second.TargetMethod)
            || !SameSyntax(first.Instance, second.Instance))
        {
            return false;
        }

        foreach (var argument in second.Arguments)
        {
            if (argument.Parameter is not { } parameter || argument.Parameter.Type.Name == "CancellationToken")
            {
                continue;
            }

            var other = first.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter, parameter));
            if (other is null || other.ArgumentKind != argument.ArgumentKind
                || (argument.ArgumentKind != ArgumentKind.DefaultValue && !SameSyntax(other.Value, argument.Value)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameSyntax(IOperation? first, IOperation? second) =>
        first is null ? second is null : second is not null && SyntaxFactory.AreEquivalent(first.Syntax, second.Syntax, topLevel: false);

    /// <summary>
    /// The operations that run between the two calls, when the first always runs before the second: the first is
    /// not behind a condition inside its statement (<c>?:</c>, <c>??</c>, <c>?.</c>, <c>&amp;&amp;</c>), and its
    /// statement is in a block that holds the second further down (not another branch, not a <c>catch</c> of a
    /// <c>try</c> the first is in). Null otherwise.
    /// </summary>
    private static IReadOnlyList<IOperation>? AlwaysRunsBefore(IInvocationOperation first, IInvocationOperation second)
    {
        IOperation statement = first;
        while (statement.Parent is { } parent && parent is not IBlockOperation)
        {
            if (parent is IConditionalOperation or ICoalesceOperation or IConditionalAccessOperation or ISwitchExpressionOperation
                    or IAnonymousFunctionOperation or ILocalFunctionOperation or ILoopOperation or ITryOperation or ICatchClauseOperation or ISwitchOperation
                || parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr })
            {
                return null;
            }

            statement = parent;
        }

        if (statement is IReturnOperation or IThrowOperation || statement.Parent is not IBlockOperation block || !block.Syntax.Span.Contains(second.Syntax.Span))
        {
            return null;
        }

        var between = block.Operations
            .SkipWhile(o => o != statement)
            .TakeWhile(o => o.Syntax.SpanStart <= second.Syntax.SpanStart)
            .ToArray();
        return between.Length == 0 ? null : between;
    }
}
