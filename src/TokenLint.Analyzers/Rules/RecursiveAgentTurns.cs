using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL3003's recursive agents: a method (or local function) that calls the model and, when the model asks for tools,
/// calls itself again, directly or through one other method of the same file, with no depth or step count that it
/// compares, no other limit and no cancellation check. Each turn resends the conversation, and a model that keeps
/// calling tools keeps the recursion going. One instance per compilation: each method is examined once, and the
/// bodies of the methods it calls are read once.
/// </summary>
internal sealed class RecursiveAgentTurns
{
    private readonly ModelCallSiteCatalog _callSites;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _examined = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, Unit?> _units = new(SymbolEqualityComparer.Default);

    public RecursiveAgentTurns(ModelCallSiteCatalog callSites)
    {
        _callSites = callSites;
    }

    /// <summary>A recursive turn found: the call that starts the next turn, and the method it goes through, if any.</summary>
    public sealed class Turn
    {
        public Turn(IMethodSymbol method, IInvocationOperation call, IMethodSymbol? through)
        {
            Method = method;
            Call = call;
            Through = through;
        }

        public IMethodSymbol Method { get; }

        public IInvocationOperation Call { get; }

        public IMethodSymbol? Through { get; }
    }

    /// <summary>
    /// For a model call, the unbounded recursive turn of the method that makes it, the first time that method is
    /// asked about; null otherwise (another call of the same method asked first, or no such turn).
    /// </summary>
    public Turn? UnboundedTurn(IInvocationOperation modelCall)
    {
        if (Enclosing(modelCall) is not { } method || !_examined.TryAdd(method, true) || UnitOf(method, modelCall.SemanticModel) is not { } unit)
        {
            return null;
        }

        foreach (var call in unit.Calls)
        {
            var target = Target(call);
            if (SymbolEqualityComparer.Default.Equals(target, method))
            {
                if (unit.ToolBranch(call) is { } branch && unit.RunsTools(branch) && !unit.IsBounded)
                {
                    return new Turn(method, call, through: null);
                }

                continue;
            }

            if (target is null || unit.IsBounded || !MayCall(target, method.Name) || UnitOf(target, modelCall.SemanticModel) is not { } other || other.IsBounded)
            {
                continue;
            }

            foreach (var back in other.Calls.Where(c => SymbolEqualityComparer.Default.Equals(Target(c), method)))
            {
                // When both methods call the model, the one declared first reports the cycle (once, at the same place).
                // The tool test may be on either side; the tools may run in the branch or in the other method.
                if ((unit.ToolBranch(call) is { } branch && (unit.RunsTools(branch) || other.RunsTools(other.Operations))
                        || other.ToolBranch(back) is { } otherBranch && other.RunsTools(otherBranch))
                    && !(other.CallsModel(_callSites) && other.Body.Syntax.SpanStart < unit.Body.Syntax.SpanStart))
                {
                    return new Turn(method, call, target);
                }
            }
        }

        return null;
    }

    /// <summary>The method or local function whose own body holds the operation; null inside a lambda.</summary>
    private static IMethodSymbol? Enclosing(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation:
                    return null;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
                case IMethodBodyOperation body:
                    return operation.SemanticModel?.GetDeclaredSymbol(body.Syntax) as IMethodSymbol;
            }
        }

        return null;
    }

    /// <summary>The method a call goes to, when it continues the same agent: called on <c>this</c>, statically, or a local function.</summary>
    private static IMethodSymbol? Target(IInvocationOperation call) =>
        call.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
            ? call.TargetMethod.OriginalDefinition
            : null;

    /// <summary>
    /// Whether the method's declaration names <paramref name="name"/> at all: a method that cannot call back is not
    /// bound, since an agent method usually calls many helpers and only one of them, if any, leads back to it.
    /// </summary>
    private static bool MayCall(IMethodSymbol method, string name) =>
        method.DeclaringSyntaxReferences.Length == 1
        && method.DeclaringSyntaxReferences[0].GetSyntax().DescendantTokens().Any(token => token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name);

    private Unit? UnitOf(IMethodSymbol method, SemanticModel? semanticModel) =>
        semanticModel is null ? null : _units.GetOrAdd(method, m => Read(m, semanticModel));

    /// <summary>The body of a method or local function declared in the file being analysed (other files are not read).</summary>
    private static Unit? Read(IMethodSymbol method, SemanticModel semanticModel)
    {
        if (method.DeclaringSyntaxReferences.Length != 1 || method.DeclaringSyntaxReferences[0].SyntaxTree != semanticModel.SyntaxTree)
        {
            return null;
        }

        var body = semanticModel.GetOperation(method.DeclaringSyntaxReferences[0].GetSyntax()) switch
        {
            IMethodBodyOperation methodBody => (IOperation?)methodBody,
            ILocalFunctionOperation localFunction => localFunction.Body,
            _ => null,
        };
        return body is null ? null : new Unit(body);
    }

    /// <summary>One method's body as the rule reads it.</summary>
    private sealed class Unit
    {
        private readonly IOperation[] _operations;
        private readonly HashSet<ILocalSymbol> _toolLocals;
        private bool? _callsModel;

        public Unit(IOperation body)
        {
            Body = body;
            _operations = LoopBounds.OwnOperations(body).ToArray();
            _toolLocals = ToolFlagLoop.ToolLocals(_operations);
            Calls = _operations.OfType<IInvocationOperation>().ToArray();
            IsBounded = HasLimit();
        }

        public IOperation Body { get; }

        public IInvocationOperation[] Calls { get; }

        /// <summary>
        /// Something in the body can end the recursion: a comparison that is not about tool calls (a depth, a step
        /// count, a budget) in an <c>if</c> or <c>?:</c> with a branch that returns or throws (the recursive call is
        /// usually one), a <c>catch</c> filter with a comparison, or a cancellation check.
        /// </summary>
        public bool IsBounded { get; }

        public bool CallsModel(ModelCallSiteCatalog callSites) =>
            _callsModel ??= Calls.Any(call => callSites.TryGetCallSite(call, out _));

        /// <summary>
        /// The code that runs only when the model asked for tools and leads to the call: the branch of an <c>if</c> or
        /// <c>?:</c>, or the <c>case</c>, that tests a tool signal and holds the call, or the statements after an
        /// <c>if</c> that tests one and returns or throws (<c>if (!calls.Any()) return text;</c>) up to the call. Null
        /// when no tool test decides whether the call is made.
        /// </summary>
        public IReadOnlyList<IOperation>? ToolBranch(IOperation call)
        {
            IOperation child = call;
            for (var current = call.Parent; current is not null && child != Body; child = current, current = current.Parent)
            {
                switch (current)
                {
                    case IConditionalOperation conditional when child != conditional.Condition && ReadsToolSignal(conditional.Condition):
                        return LoopBounds.OwnOperations(child).ToArray();
                    case ISwitchCaseOperation section when section.Clauses.Any(ReadsToolSignal):
                        return section.Body.SelectMany(LoopBounds.OwnOperations).ToArray();
                    case IBlockOperation block:
                        var before = block.Operations.TakeWhile(o => o != child).ToArray();
                        int exit = System.Array.FindLastIndex(before, o => o is IConditionalOperation { Condition: { } test } earlier && ReadsToolSignal(test) && Exits(earlier));
                        if (exit >= 0)
                        {
                            return before.Skip(exit + 1).Append(child).SelectMany(LoopBounds.OwnOperations).ToArray();
                        }

                        break;
                }
            }

            return null;
        }

        /// <summary>
        /// The code reads the model's tool calls (runs them), beyond testing whether there are any: a recursion on
        /// another test that happens to come after a tool test (the next turn of a chat) does not.
        /// </summary>
        public bool RunsTools(IReadOnlyList<IOperation> code) => code.Any(ReadsTools);

        public IOperation[] Operations => _operations;

        private bool HasLimit() =>
            _operations.Any(LoopBounds.IsCancellationCheck)
            || _operations.OfType<IConditionalOperation>().Any(branch => HasLimitComparison(branch.Condition) && (Exits(branch) || ChoosesACall(branch)))
            || _operations.OfType<ICatchClauseOperation>().Any(handler => handler.Filter is { } filter && HasLimitComparison(filter));

        /// <summary><c>depth &lt; MaxDepth ? await RunAsync(depth + 1) : text</c>: the comparison decides whether the call is made.</summary>
        private static bool ChoosesACall(IConditionalOperation branch) =>
            branch.WhenFalse is not null && LoopBounds.OwnOperations(branch).OfType<IInvocationOperation>().Any();

        private bool HasLimitComparison(IOperation test) =>
            LoopBounds.OwnOperations(test).Any(o => LoopBounds.IsComparison(o) && !ReadsToolSignal(o));

        private static bool Exits(IConditionalOperation branch) =>
            LoopBounds.OwnOperations(branch).Any(o => o is IReturnOperation or IThrowOperation);

        private bool ReadsToolSignal(IOperation test) => test.DescendantsAndSelf().Any(ReadsTools);

        private bool ReadsTools(IOperation operation) =>
            ToolSignals.IsToolSignal(operation)
            || operation is ILocalReferenceOperation local && _toolLocals.Contains(local.Local)
            || operation is IParameterReferenceOperation { Type: { } parameterType } && ToolSignals.IsToolCallCollection(parameterType);
    }
}
