using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL5001: a model call inside a loop over items (a <c>foreach</c>, a <c>for</c> with a counter, a <c>while</c> that
/// reads the next item in its condition) whose request reads nothing the loop changes: the same client, prompt,
/// model and options on every iteration, so every iteration after the first pays for the same answer again.
/// Deliberate repeats stay quiet: sampling (a temperature above 0), retries (a <c>try</c> around the call, a loop
/// that leaves on success), cached clients, tool and agent loops whose messages grow.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LoopInvariantModelCallAnalyzer : ModelCallAnalyzer
{
    /// <summary>Set on a diagnostic whose call initialises a local that the fix can move before the loop.</summary>
    public const string HoistableProperty = "Hoistable";

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.LoopInvariantModelCall,
        title: "Same model request on every iteration of a loop",
        messageFormat: "'{0}' sends the same request on every iteration of this loop: nothing it sends depends on '{1}', so each iteration after the first pays for the same answer; make the call once before the loop",
        RuleCategories.RedundantCalls,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A model call whose client, prompt and options do not change inside a loop returns the same answer every time; call it once.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.LoopInvariantModelCall));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites)
    {
        if (callSite.IsStreaming || callSite.RequestsVariedAnswers || callSite.ServedFromCache || callSite.ChangesLaterRequests || callSite.HasTools)
        {
            return;
        }

        var call = callSite.Invocation;
        if (EnclosingLoop(call) is not { } loop || LoopVariables(loop) is not { Count: > 0 } loopVariables)
        {
            return;
        }

        // A loop over items: the body reads the item elsewhere. A loop that only repeats the call (a counter read by
        // nothing) samples, benchmarks or retries on purpose.
        var body = LoopBounds.OwnOperations(loop.Body).ToArray();
        var readItems = body.OfType<ILocalReferenceOperation>()
            .Where(r => loopVariables.Contains(r.Local) && !call.Syntax.Span.Contains(r.Syntax.Span) && (loop is not IForLoopOperation || IsIndex(r)))
            .Select(r => r.Local)
            .ToArray();
        if (readItems.Length == 0 || body.Any(o => LeavesLoop(o, loop)))
        {
            return;
        }

        var inputs = RequestInputs.Of(call);
        bool SendsRequest(IInvocationOperation invocation) => callSites.TryGetCallSite(invocation, out _);
        if (inputs.MayVary
            || new RequestChanges(new[] { loop }, SendsRequest).ChangeAnyOf(inputs)
            || RequestChanges.InFunctionsBesides(call, SendsRequest).ChangeAnyOf(inputs.Symbols.Where(s => s is ILocalSymbol or IParameterSymbol), inputs.Clients))
        {
            return;
        }

        var properties = IsHoistable(call, loop, body)
            ? ImmutableDictionary<string, string?>.Empty.Add(HoistableProperty, "true")
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(Rule, ModelRuleContext.CallLocation(call), properties, call.TargetMethod.Name, readItems[0].Name));
    }

    /// <summary>
    /// A <c>for</c> counter used as an index (<c>tickets[i]</c>) walks items; one only printed or compared
    /// (<c>Console.WriteLine($"Sample {i}")</c>) counts repeats, which sampling at the default temperature makes on purpose.
    /// </summary>
    private static bool IsIndex(ILocalReferenceOperation reference)
    {
        IOperation index = reference;
        while (index.Parent is IConversionOperation or IParenthesizedOperation or IBinaryOperation)
        {
            index = index.Parent;
        }

        return index.Parent switch
        {
            IArrayElementReferenceOperation element => element.Indices.Contains(index),
            IArgumentOperation { Parent: IPropertyReferenceOperation { Property.IsIndexer: true } } => true,
            _ => false,
        };
    }

    /// <summary>
    /// The innermost loop around the call in the same body, or null when the call is not in one, or is inside a
    /// <c>try</c> or <c>catch</c> within it (a retry, or a fallback after a failure).
    /// </summary>
    private static ILoopOperation? EnclosingLoop(IOperation call)
    {
        for (var current = call.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation loop:
                    return loop;
                case ITryOperation or ICatchClauseOperation or IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The locals the loop header sets: the <c>foreach</c> item, the <c>for</c> counters, the locals a
    /// <c>while</c> condition assigns or declares (<c>while ((line = reader.ReadLine()) != null)</c>).</summary>
    private static HashSet<ILocalSymbol> LoopVariables(ILoopOperation loop)
    {
        var locals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        IEnumerable<IOperation> header = loop switch
        {
            IForEachLoopOperation forEach => new[] { forEach.LoopControlVariable },
            IForLoopOperation forLoop => forLoop.Before.Concat(forLoop.AtLoopBottom),
            IWhileLoopOperation { Condition: { } condition } => new[] { condition },
            _ => System.Array.Empty<IOperation>(),
        };
        foreach (var operation in header.SelectMany(h => h.DescendantsAndSelf()))
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    locals.Add(declarator.Symbol);
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation target }:
                    locals.Add(target.Local);
                    break;
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target }:
                    locals.Add(target.Local);
                    break;
                case ILocalReferenceOperation { IsDeclaration: true } declared:
                    locals.Add(declared.Local);
                    break;
            }
        }

        if (loop is IForEachLoopOperation)
        {
            locals.UnionWith(loop.Locals);
        }

        return locals;
    }

    /// <summary>A <c>break</c> out of this loop or a <c>return</c>: the loop may end after one call (on success).</summary>
    private static bool LeavesLoop(IOperation operation, ILoopOperation loop) =>
        operation is IReturnOperation { Kind: OperationKind.Return }
        || operation is IBranchOperation { BranchKind: BranchKind.Break or BranchKind.GoTo } branch
            && (branch.BranchKind == BranchKind.GoTo || SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel));

    /// <summary>
    /// The fix moves <c>var answer = await call(…);</c> before the loop: the declaration is a statement of the
    /// loop's block, nothing before it in the body can skip it, the loop is a statement of a block, the request
    /// reads nothing declared in the loop, and the loop writes the local nowhere else.
    /// </summary>
    private static bool IsHoistable(IInvocationOperation call, ILoopOperation loop, IOperation[] body)
    {
        var syntax = call.Syntax.Parent is AwaitExpressionSyntax awaited ? awaited : (ExpressionSyntax)call.Syntax;
        if (syntax.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, AwaitKeyword.RawKind: 0 } statement }
            || statement.Parent is not BlockSyntax block
            || block.Parent != loop.Syntax
            || loop.Syntax.Parent is not BlockSyntax)
        {
            return false;
        }

        bool CanSkip(SyntaxNode node) => node is ContinueStatementSyntax or BreakStatementSyntax or ReturnStatementSyntax or ThrowStatementSyntax
            or ThrowExpressionSyntax or GotoStatementSyntax or YieldStatementSyntax;
        if (block.Statements.TakeWhile(s => s != statement).Any(s => s.DescendantNodesAndSelf().Any(CanSkip)))
        {
            return false;
        }

        if (body.OfType<IVariableDeclaratorOperation>().FirstOrDefault(d => d.Syntax == declarator)?.Symbol is not { } declared)
        {
            return false;
        }

        var inputs = RequestInputs.Of(call).Symbols;
        return !inputs.Any(s => s is ILocalSymbol && s.DeclaringSyntaxReferences.Any(r => loop.Syntax.Span.Contains(r.Span)))
            && !body.Any(o => o is IAssignmentOperation { Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, declared)
                || o is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation byRef } && SymbolEqualityComparer.Default.Equals(byRef.Local, declared));
    }
}
