using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL3003: a loop that sends the conversation to the model again for as long as the model asks for tools
/// (<c>FinishReason == ToolCalls</c>, <c>StopReason == ToolUse</c>, <c>FunctionCallContent</c>), with no step
/// counter, budget or cancellation check. A model that keeps calling tools runs the loop, and the bill, forever.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AgentLoopWithoutStepLimitAnalyzer : ModelRuleAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.AgentLoopWithoutStepLimit,
        title: "Agent loop without a step limit",
        messageFormat: "This loop calls the model again for as long as the model asks for tools, with no step limit: a model that keeps calling tools keeps the loop, and the bill, running; add a step limit",
        RuleCategories.Loops,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every turn of an agent loop resends the whole conversation; without a step limit nothing stops a model that keeps asking for tools.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.AgentLoopWithoutStepLimit));

    private static readonly DiagnosticDescriptor RecursionRule = new(
        RuleIdentifiers.AgentLoopWithoutStepLimit,
        title: "Agent loop without a step limit",
        messageFormat: "'{0}' calls the model and, when the model asks for tools, calls itself again{1} with no depth or step limit: a model that keeps calling tools keeps the recursion, and the bill, running; pass a step count and stop past a limit",
        RuleCategories.Loops,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Every turn of a recursive agent resends the whole conversation; without a depth or step limit nothing stops a model that keeps asking for tools.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.AgentLoopWithoutStepLimit));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, RecursionRule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        start.RegisterOperationAction(operation => Analyze(operation, callSites), OperationKind.Loop);

        // Recursive agents: examined from their model calls only, each method once, per member body (the call that
        // starts the next turn is in the same body, so the diagnostic stays local to it).
        var turns = new RecursiveAgentTurns(callSites);
        var reports = new OncePerBodyReports();
        start.RegisterOperationBlockAction(block =>
            reports.ForEachModelInvocation(block, callSites, promptSenders: false, (invocation, firstReport) =>
            {
                if (callSites.TryGetCallSite(invocation, out _) && turns.UnboundedTurn(invocation) is { } turn)
                {
                    var through = turn.Through is null ? "" : $" through '{turn.Through.Name}'";
                    block.ReportDiagnostic(Diagnostic.Create(RecursionRule, NameLocation(turn.Call), turn.Method.Name, through));
                }
            }));
    }

    /// <summary>Where a call is reported: the name of the method it calls.</summary>
    private static Location NameLocation(IInvocationOperation call) => call.Syntax switch
    {
        InvocationExpressionSyntax { Expression: SimpleNameSyntax name } => name.GetLocation(),
        _ => ModelRuleContext.CallLocation(call),
    };

    private static void Analyze(OperationAnalysisContext context, ModelCallSiteCatalog callSites)
    {
        var loop = (ILoopOperation)context.Operation;
        if (!LoopBounds.IsConditionLoop(loop))
        {
            return;
        }

        // Only a loop around a model call matters: most loops are ruled out by the names they call.
        if (loop.SemanticModel is not { } model || !callSites.MayHoldModelCall(loop.Body.Syntax, model.Compilation))
        {
            return;
        }

        var condition = LoopBounds.Condition(loop);
        var body = LoopBounds.OwnOperations(loop.Body).ToArray();
        if (!body.OfType<IInvocationOperation>().Any(invocation => callSites.TryGetCallSite(invocation, out _))
            || LoopBounds.IsBounded(condition, body)
            || !(ContinuesOnToolRequests(condition, body, loop.Syntax) || RunsUntilNoToolCalls(loop, condition, body)
                || condition is not null && ToolFlagLoop.IsClearedOnlyWhenToolsStop(loop, condition, body)))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, LoopBounds.KeywordLocation(loop)));
    }

    /// <summary>
    /// The loop goes on while the model asks for tools: its condition tests a tool signal, or a flag that the body
    /// sets to <c>true</c> where it handles a tool signal (the OpenAI SDK's own <c>requiresAction</c> example).
    /// </summary>
    private static bool ContinuesOnToolRequests(IOperation? condition, IOperation[] body, SyntaxNode loopSyntax)
    {
        if (condition is null)
        {
            // for (;;) / while (true) loops are TL3001's when they retry; here only a flagged tool loop counts.
            return false;
        }

        // Lambdas count here: response.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any()).
        if (condition.DescendantsAndSelf().Any(ToolSignals.IsToolSignal))
        {
            return true;
        }

        // while (requiresAction): a flag the loop goes on with. A negated one (while (!done)) is ToolFlagLoop's.
        var flags = LoopBounds.OwnOperations(condition).OfType<ILocalReferenceOperation>()
            .Where(l => !IsNegated(l))
            .Select(l => l.Local).ToImmutableHashSet(SymbolEqualityComparer.Default);
        return body.OfType<ISimpleAssignmentOperation>().Any(assignment =>
            assignment.Target is ILocalReferenceOperation { Local: { } local } && flags.Contains(local)
            && assignment.Value.ConstantValue is { HasValue: true, Value: true }
            && assignment.Syntax.Ancestors().TakeWhile(a => a != loopSyntax)
                .Any(ancestor => ancestor is SwitchSectionSyntax or IfStatementSyntax && MentionsToolSignal(ancestor, assignment.SemanticModel)));
    }

    /// <summary>
    /// <c>while (true)</c> / <c>for (;;)</c> that leaves only when the model asks for no tools: the manual
    /// function-calling loop of the Semantic Kernel and Microsoft.Extensions.AI samples
    /// (<c>var calls = FunctionCallContent.GetFunctionCalls(result); if (!calls.Any()) break;</c>).
    /// </summary>
    private static bool RunsUntilNoToolCalls(ILoopOperation loop, IOperation? condition, IOperation[] body)
    {
        if (condition is not null && condition.ConstantValue is not { HasValue: true, Value: true })
        {
            return false;
        }

        // Locals the body sets from a tool signal: the test that ends the loop usually reads one of them.
        var toolLocals = ToolFlagLoop.ToolLocals(body);

        return body.OfType<IConditionalOperation>().Any(branch =>
            branch.Condition.DescendantsAndSelf().Any(o => ToolSignals.IsToolSignal(o) || o is ILocalReferenceOperation local && toolLocals.Contains(local.Local))
            && LoopBounds.OwnOperations(branch.WhenTrue).Any(o =>
                o is IReturnOperation
                || o is IBranchOperation { BranchKind: BranchKind.Break } exit && SymbolEqualityComparer.Default.Equals(exit.Target, loop.ExitLabel)
                // if (completion.FinishReason == ChatFinishReason.ToolCalls) { ...; continue; } return completion;
                || o is IBranchOperation { BranchKind: BranchKind.Continue } next && SymbolEqualityComparer.Default.Equals(next.Target, loop.ContinueLabel)));
    }

    private static bool IsNegated(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not };
    }

    private static bool MentionsToolSignal(SyntaxNode branch, SemanticModel? semanticModel)
    {
        SyntaxNode? test = branch switch
        {
            SwitchSectionSyntax section => section,
            IfStatementSyntax ifStatement => ifStatement.Condition,
            _ => null,
        };

        if (test is null || semanticModel is null)
        {
            return false;
        }

        // The switch labels or the if condition, not the statements under them.
        var nodes = test is SwitchSectionSyntax switchSection ? switchSection.Labels.SelectMany(l => l.DescendantNodesAndSelf()) : test.DescendantNodesAndSelf();
        return nodes.OfType<ExpressionSyntax>().Select(n => semanticModel.GetOperation(n)).Any(o => o is not null && ToolSignals.IsToolSignal(o));
    }
}
