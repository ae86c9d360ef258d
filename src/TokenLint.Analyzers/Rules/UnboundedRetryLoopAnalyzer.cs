using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL3001: a loop around a model call that goes round again after a failure (a <c>catch</c> that neither rethrows,
/// returns nor breaks) with no attempt counter, deadline, budget or cancellation check. When the model or the code
/// that reads its answer keeps failing, every turn bills another full request.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedRetryLoopAnalyzer : ModelRuleAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.UnboundedRetryLoop,
        title: "Unbounded retry loop around a model call",
        messageFormat: "This loop retries the model call after every failure with no attempt limit, deadline or cancellation: a persistent failure keeps billing requests; bound the attempts",
        RuleCategories.Loops,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A retry loop needs an attempt bound: a failure that does not go away (a bad request, a parse error) otherwise repeats the call forever.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UnboundedRetryLoop));

    private static readonly DiagnosticDescriptor GotoRule = new(
        RuleIdentifiers.UnboundedRetryLoop,
        title: "Unbounded retry loop around a model call",
        messageFormat: "This goto retries the model call after every failure with no attempt limit, deadline or cancellation: a persistent failure keeps billing requests; bound the attempts",
        RuleCategories.Loops,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A retry needs an attempt bound: a failure that does not go away (a bad request, a parse error) otherwise repeats the call forever.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UnboundedRetryLoop));

    private static readonly DiagnosticDescriptor RecursionRule = new(
        RuleIdentifiers.UnboundedRetryLoop,
        title: "Unbounded retry loop around a model call",
        messageFormat: "'{0}' calls itself again after every failure of the model call with no attempt count, deadline or cancellation: a persistent failure keeps billing requests; pass an attempt count and stop after a few",
        RuleCategories.Loops,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A retry needs an attempt bound: a failure that does not go away (a bad request, a parse error) otherwise repeats the call forever.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UnboundedRetryLoop));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, GotoRule, RecursionRule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        start.RegisterOperationAction(operation => Analyze(operation, callSites), OperationKind.Loop);
        start.RegisterOperationAction(operation => AnalyzeGoto(operation, callSites), OperationKind.Branch);
        start.RegisterOperationAction(operation => AnalyzeRecursion(operation, callSites), OperationKind.Try);
    }

    /// <summary><c>catch (JsonException) { return await AskAsync(prompt); }</c> around a model call: a loop written as recursion.</summary>
    private static void AnalyzeRecursion(OperationAnalysisContext context, ModelCallSiteCatalog callSites)
    {
        var attempt = (ITryOperation)context.Operation;
        if (attempt.Catches.IsEmpty)
        {
            return;
        }

        // The method the try is in: a local function's own symbol; in a lambda, no method calls itself.
        ISymbol? method = context.ContainingSymbol;
        for (var current = attempt.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation)
            {
                return;
            }

            if (current is ILocalFunctionOperation local)
            {
                method = local.Symbol;
                break;
            }
        }

        if (RetryByRecursion.Find(attempt, method, callSites) is { } call)
        {
            context.ReportDiagnostic(Diagnostic.Create(RecursionRule, call.Syntax.GetLocation(), method!.Name));
        }
    }

    /// <summary>
    /// A loop written with a label: <c>retry: try { return await Call(); } catch { await Task.Delay(…); goto retry; }</c>.
    /// Bounded like a loop: a comparison in a test around the <c>goto</c>, in a <c>catch</c> filter or in an <c>if</c>
    /// that leaves, or a cancellation check, anywhere from the label to the end of the <c>try</c>.
    /// </summary>
    private static void AnalyzeGoto(OperationAnalysisContext context, ModelCallSiteCatalog callSites)
    {
        var jump = (IBranchOperation)context.Operation;
        if (jump.BranchKind != BranchKind.GoTo
            || jump.Syntax is not GotoStatementSyntax statement
            || EnclosingCatch(jump) is not { Parent: ITryOperation attempt } handler
            || jump.Target.Locations.FirstOrDefault() is not { IsInSource: true } label
            || label.SourceTree != attempt.Syntax.SyntaxTree
            || label.SourceSpan.Start >= attempt.Syntax.SpanStart
            || !LoopBounds.OwnOperations(attempt.Body).OfType<IInvocationOperation>().Any(invocation => callSites.TryGetCallSite(invocation, out _)))
        {
            // Not a jump back over a model call from a catch.
            return;
        }

        var root = (IOperation)jump;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var region = LoopBounds.OwnOperations(root)
            .Where(o => o.Syntax.SpanStart >= label.SourceSpan.Start && o.Syntax.Span.End <= attempt.Syntax.Span.End)
            .ToArray();
        if (LoopBounds.IsBounded(null, region) || GuardedByComparison(jump, handler))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(GotoRule, statement.GotoKeyword.GetLocation()));
    }

    private static ICatchClauseOperation? EnclosingCatch(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ICatchClauseOperation handler:
                    return handler;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or ILoopOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary><c>if (++attempt &lt; MaxAttempts) goto retry;</c>: the jump is taken only while a count allows it.</summary>
    private static bool GuardedByComparison(IOperation jump, ICatchClauseOperation handler)
    {
        for (var current = jump.Parent; current is not null && current != handler; current = current.Parent)
        {
            if (current is IConditionalOperation conditional && LoopBounds.OwnOperations(conditional.Condition).Any(LoopBounds.IsComparison))
            {
                return true;
            }
        }

        return false;
    }

    private static void Analyze(OperationAnalysisContext context, ModelCallSiteCatalog callSites)
    {
        var loop = (ILoopOperation)context.Operation;
        var condition = LoopBounds.Condition(loop);

        // Loops over a collection end with it.
        if (!LoopBounds.IsConditionLoop(loop))
        {
            return;
        }

        var body = LoopBounds.OwnOperations(loop.Body).ToArray();
        if (LoopBounds.IsBounded(condition, body) || (condition is not null && condition.DescendantsAndSelf().Any(ToolSignals.IsToolSignal)))
        {
            // Tool loops are TL3003's.
            return;
        }

        // A loop whose condition is anything but "forever" or a plain flag has its own way out, unless that
        // condition is a check of the model's answer.
        bool retriesOnFailure = RunsUntilSuccess(condition)
            && body.OfType<ITryOperation>().Any(attempt => RetriesModelCall(attempt, callSites) && SuccessLeavesTheLoop(loop, condition, attempt));
        if (!retriesOnFailure && !RetriesUntilAnswerPasses(condition, body, callSites))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, LoopBounds.KeywordLocation(loop)));
    }

    /// <summary><c>while (true)</c>, <c>for (;;)</c>, or a loop on a bool flag (<c>while (!done)</c>).</summary>
    private static bool RunsUntilSuccess(IOperation? condition) => condition switch
    {
        null => true,
        { ConstantValue: { HasValue: true, Value: true } } => true,
        ILocalReferenceOperation { Type.SpecialType: SpecialType.System_Boolean } => true,
        IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: ILocalReferenceOperation { Type.SpecialType: SpecialType.System_Boolean } } => true,
        _ => false,
    };

    /// <summary>
    /// A loop that calls the model, stores the answer, and leaves only when a check of that answer passes: an
    /// <c>if</c> on it that returns or breaks, or a loop condition on it. A model that keeps answering badly keeps
    /// the loop going. Checks that do not read the answer (user input in a chat loop) do not count.
    /// </summary>
    private static bool RetriesUntilAnswerPasses(IOperation? condition, IOperation[] body, ModelCallSiteCatalog callSites)
    {
        var answers = body.OfType<ISimpleAssignmentOperation>().Where(a => a.Target is ILocalReferenceOperation && HoldsModelCall(a.Value, callSites))
            .Select(a => ((ILocalReferenceOperation)a.Target).Local)
            .Concat(body.OfType<IVariableDeclaratorOperation>().Where(d => d.Initializer?.Value is { } v && HoldsModelCall(v, callSites)).Select(d => d.Symbol))
            .ToImmutableHashSet(SymbolEqualityComparer.Default);
        if (answers.IsEmpty)
        {
            return false;
        }

        if (NewRequestEachTurn.Any(body, answers, callSites))
        {
            return false;
        }

        bool ReadsAnswer(IOperation check) => check.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => answers.Contains(r.Local));

        if (condition is not null && condition.ConstantValue is not { HasValue: true } && ReadsAnswer(condition))
        {
            return true;
        }

        return (condition is null || condition.ConstantValue is { HasValue: true, Value: true })
            && body.OfType<IConditionalOperation>().Any(branch => ReadsAnswer(branch.Condition)
                && LoopBounds.OwnOperations(branch.WhenTrue).Any(o => o is IReturnOperation or IBranchOperation { BranchKind: BranchKind.Break }));
    }

    private static bool HoldsModelCall(IOperation value, ModelCallSiteCatalog callSites) =>
        LoopBounds.OwnOperations(value).OfType<IInvocationOperation>().Any(invocation => callSites.TryGetCallSite(invocation, out _));

    /// <summary>
    /// A retry loop ends once the call succeeds: the <c>try</c> returns, breaks out of the loop or sets the loop's
    /// flag, or the loop body leaves right after the <c>try</c>. A loop that goes round again after a success too
    /// (an interactive chat loop that reports an error and reads the next message) repeats, but does not retry.
    /// </summary>
    private static bool SuccessLeavesTheLoop(ILoopOperation loop, IOperation? condition, ITryOperation attempt)
    {
        var flag = condition switch
        {
            ILocalReferenceOperation reference => reference.Local,
            IUnaryOperation { Operand: ILocalReferenceOperation reference } => reference.Local,
            _ => null,
        };

        bool Leaves(IOperation operation) =>
            operation is IReturnOperation
            || operation is IBranchOperation { BranchKind: BranchKind.Break } exit && SymbolEqualityComparer.Default.Equals(exit.Target, loop.ExitLabel)
            || flag is not null && operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, flag);

        if (LoopBounds.OwnOperations(attempt.Body).Any(Leaves))
        {
            return true;
        }

        // try { answer = await Call(); } catch { ... continue; }  break;
        return loop.Body is IBlockOperation block
            && block.Operations.SkipWhile(o => o != attempt).Skip(1).Any(o => Leaves(o) || o is IExpressionStatementOperation { Operation: { } expression } && Leaves(expression));
    }

    /// <summary>A <c>try</c> around a model call with a <c>catch</c> that lets the loop go round again.</summary>
    private static bool RetriesModelCall(ITryOperation attempt, ModelCallSiteCatalog callSites) =>
        LoopBounds.OwnOperations(attempt.Body).OfType<IInvocationOperation>().Any(invocation => callSites.TryGetCallSite(invocation, out _))
        && attempt.Catches.Any(handler => !LoopBounds.OwnOperations(handler.Handler).Any(o =>
            o is IThrowOperation or IReturnOperation or IBranchOperation { BranchKind: BranchKind.Break or BranchKind.GoTo }));
}
