using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL4004: a conversation history that a loop appends to and sends whole on every turn, with nothing that trims
/// it and nothing that bounds the loop. Turn N resends all N turns before it, so the cost grows with the square of
/// the conversation's length.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HistoryThatOnlyGrowsAnalyzer : ModelRuleAnalyzer
{
    private static readonly string[] Trimming = { "Remove", "RemoveAt", "RemoveRange", "RemoveAll", "Clear", "TrimExcess" };

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.HistoryThatOnlyGrows,
        title: "Conversation history that only grows",
        messageFormat: "'{0}' {1} and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer",
        RuleCategories.ContextSize,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A history that is only appended to makes every turn more expensive than the last.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.HistoryThatOnlyGrows));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        start.RegisterOperationAction(operation => Analyze(operation, callSites), OperationKind.Loop);

        // Histories that outlive one call: read the type's other methods once per member, not once per call.
        var limits = new HistoryLimits(callSites, start.Compilation);
        start.RegisterOperationAction(operation => AnalyzeCall(operation, callSites, limits), OperationKind.Invocation);
    }

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
        if (LoopBounds.IsBounded(condition, body)
            || body.Any(ToolSignals.IsToolSignal)
            || (condition is not null && condition.DescendantsAndSelf().Any(ToolSignals.IsToolSignal)))
        {
            // A bounded loop grows its history a bounded number of times; a tool loop is TL3003's.
            return;
        }

        foreach (var invocation in body.OfType<IInvocationOperation>())
        {
            if (!callSites.TryGetCallSite(invocation, out var callSite)
                || callSite.Conversation is null
                || ValueTracer.Unwrap(callSite.Conversation) is not ILocalReferenceOperation { Local: { } history }
                // A request object built before the loop holds the messages it was given (the Anthropic SDK copies them).
                || !loop.Syntax.Span.Contains(callSite.Conversation.Syntax.Span))
            {
                continue;
            }

            var uses = body.OfType<IInvocationOperation>()
                .Where(call => Receiver(call) is ILocalReferenceOperation receiver && SymbolEqualityComparer.Default.Equals(receiver.Local, history))
                .Select(call => call.TargetMethod.Name)
                .ToArray();
            string[] added = uses.Where(name => name.StartsWith("Add", System.StringComparison.Ordinal)).ToArray();

            // A transcript kept as text (a prompt template's {{$history}}) grows by history += turn.
            bool appended = body.OfType<ICompoundAssignmentOperation>().Any(a =>
                a.OperatorKind == BinaryOperatorKind.Add && a.Target is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, history));
            bool grows = added.Length > 0 || appended;
            bool trimmed = uses.Any(name => System.Array.IndexOf(Trimming, name) >= 0 || name.Contains("Reduce"))
                || body.OfType<ISimpleAssignmentOperation>().Any(a => a.Target is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, history));
            if (grows && !trimmed && !DeclaredInside(history, loop)
                && !(loop.Syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type && HistoryLimits.MentionsAReducer(type)))
            {
                string growth = added.Length == 0 ? "text" : Growth(added);
                context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), history.Name, $"gains {growth} on every turn of this loop"));
                return;
            }
        }
    }

    /// <summary>
    /// A history that outlives one call of the method that sends it whole: a private field or property that the method
    /// adds to, a conversation that arrives with each web request, or every stored message read again from the database.
    /// </summary>
    private static void AnalyzeCall(OperationAnalysisContext context, ModelCallSiteCatalog callSites, HistoryLimits limits)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!callSites.TryGetCallSite(invocation, out var callSite)
            || callSite.Conversation is not { } conversation
            || invocation.SemanticModel is not { } semanticModel
            || ValueTracer.EnclosingBody(conversation.Syntax) != ValueTracer.EnclosingBody(invocation.Syntax)
            || Root(invocation) is not { } root
            || HistoryOrigin.Trace(conversation, root, limits.IsLocalLimited) is not { } origin
            || ValueTracer.Unwrap(conversation) is ILocalReferenceOperation { Local: { } sent } && (limits.IsLocalLimited(sent, root) || GrowsInEnclosingLoop(invocation, sent)))
        {
            return;
        }

        string? where = origin.Kind switch
        {
            HistoryOriginKind.Member => MemberGrowth(origin, invocation, root, limits, semanticModel),
            HistoryOriginKind.Parameter => RequestArrival(origin, invocation, root, limits, semanticModel),
            HistoryOriginKind.Store => $"is read whole from the database on every call of '{MethodName(invocation)}'",
            HistoryOriginKind.Entry => EntryGrowth(origin, invocation, root, limits, semanticModel),
            _ => null,
        };
        if (where is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), origin.Name, where));
        }
    }

    /// <summary>
    /// One conversation's entry of a dictionary of histories that the sending method (or handler) adds to, which nothing
    /// that can reach the dictionary caps.
    /// </summary>
    private static string? EntryGrowth(HistoryOrigin origin, IInvocationOperation invocation, IOperation root, HistoryLimits limits, SemanticModel semanticModel)
    {
        if (semanticModel.GetEnclosingSymbol(invocation.Syntax.SpanStart) is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.AnonymousFunction } sender
            || limits.IsEntryLimited(origin.Symbol, semanticModel))
        {
            return null;
        }

        var adds = root.DescendantsAndSelf().OfType<IInvocationOperation>()
            .Where(call => call.TargetMethod.Name.StartsWith("Add", System.StringComparison.Ordinal)
                && (origin.EntryLocal is { } entry ? HistoryOrigin.IsOn(call, entry) : IsOnEntry(call, origin.Symbol)))
            .Select(call => call.TargetMethod.Name)
            .ToArray();
        if (adds.Length == 0)
        {
            return null;
        }

        return sender.MethodKind == MethodKind.AnonymousFunction
            ? $"gains {Growth(adds)} on every call of this handler"
            : $"gains {Growth(adds)} on every call of '{sender.Name}'";
    }

    /// <summary><c>histories[id].Add(…)</c> or <c>histories.GetOrAdd(id, …).Add(…)</c>: an add on a fetched entry.</summary>
    private static bool IsOnEntry(IInvocationOperation call, ISymbol holder) =>
        Receiver(call) is { } receiver && HistoryEntries.IsFetch(ValueTracer.Unwrap(receiver), out var fetched, out _)
        && SymbolEqualityComparer.Default.Equals(fetched, holder);

    /// <summary>A local the loop around the call adds to: the loop check's to report, once.</summary>
    private static bool GrowsInEnclosingLoop(IOperation invocation, ILocalSymbol sent)
    {
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation loop
                && loop.Body.DescendantsAndSelf().OfType<IInvocationOperation>().Any(call => call.TargetMethod.Name.StartsWith("Add", System.StringComparison.Ordinal) && HistoryOrigin.IsOn(call, sent)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A private member the sending method adds to, which nothing in its type caps.</summary>
    private static string? MemberGrowth(HistoryOrigin origin, IInvocationOperation invocation, IOperation root, HistoryLimits limits, SemanticModel semanticModel)
    {
        if (semanticModel.GetEnclosingSymbol(invocation.Syntax.SpanStart) is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.AnonymousFunction }
            || limits.IsMemberLimited(origin.Symbol, semanticModel))
        {
            return null;
        }

        var adds = root.DescendantsAndSelf().OfType<IInvocationOperation>()
            .Where(call => call.TargetMethod.Name.StartsWith("Add", System.StringComparison.Ordinal) && IsOnMember(call, origin.Symbol))
            .Select(call => call.TargetMethod.Name)
            .ToArray();
        return adds.Length == 0 ? null : $"gains {Growth(adds)} on every call of '{MethodName(invocation)}'";
    }

    /// <summary>A parameter (or its property) of a web entry point, sent whole: the client resends the whole conversation each time.</summary>
    private static string? RequestArrival(HistoryOrigin origin, IInvocationOperation invocation, IOperation root, HistoryLimits limits, SemanticModel semanticModel)
    {
        var parameter = origin.Reference switch
        {
            IParameterReferenceOperation reference => reference.Parameter,
            IPropertyReferenceOperation { Instance: { } instance } when ValueTracer.Unwrap(instance) is IParameterReferenceOperation reference => reference.Parameter,
            _ => null,
        };
        var property = origin.Symbol as IPropertySymbol;
        if (parameter is null
            || WebEntryPoints.Describe(parameter, semanticModel) is not { } entryPoint
            || WebEntryPoints.IsBoundedByValidation(parameter)
            || property is not null && WebEntryPoints.IsBoundedByValidation(property)
            || limits.IsParameterLimited(parameter, property, root))
        {
            return null;
        }

        return parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction }
            ? $"arrives whole with each web request ({entryPoint})"
            : $"arrives whole with each web request to '{parameter.ContainingSymbol.Name}' ({entryPoint})";
    }

    /// <summary>The growth per turn, as far as the code shows it: one message per Add (AddRange adds more).</summary>
    private static string Growth(string[] adds) =>
        adds.Contains("AddRange") || adds.Contains("AddMessages") ? $"{adds.Length} or more messages" : adds.Length == 1 ? "1 message" : $"{adds.Length} messages";

    private static bool IsOnMember(IInvocationOperation call, ISymbol member) =>
        Receiver(call) is { } receiver && ValueTracer.Unwrap(receiver) switch
        {
            IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, member),
            IPropertyReferenceOperation property => SymbolEqualityComparer.Default.Equals(property.Property, member),
            _ => false,
        };

    /// <summary>The body the invocation is in: a method's, or a top-level program's.</summary>
    private static IOperation? Root(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root is IMethodBodyOperation or IBlockOperation or IAnonymousFunctionOperation or ILocalFunctionOperation ? root : null;
    }

    private static string MethodName(IOperation invocation) =>
        invocation.Syntax.Ancestors().FirstOrDefault(a => a is MethodDeclarationSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax) switch
        {
            MethodDeclarationSyntax method => method.Identifier.ValueText,
            LocalFunctionStatementSyntax local => local.Identifier.ValueText,
            _ => "this method",
        };

    /// <summary>The instance, or the first argument of an extension method called as an instance method.</summary>
    private static IOperation? Receiver(IInvocationOperation call) => HistoryEntries.Receiver(call);

    private static bool DeclaredInside(ILocalSymbol local, ILoopOperation loop) =>
        local.DeclaringSyntaxReferences.Any(r => loop.Syntax.Span.Contains(r.Span));
}
