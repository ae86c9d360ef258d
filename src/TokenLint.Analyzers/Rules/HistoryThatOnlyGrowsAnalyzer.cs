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
        messageFormat: "'{0}' gains {1} on every turn of this loop and is sent whole each time, with no trimming or reducer: turn N resends all N earlier turns; keep a window of recent messages or use a chat reducer",
        RuleCategories.ContextSize,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A history that is only appended to makes every turn more expensive than the last.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.HistoryThatOnlyGrows));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        start.RegisterOperationAction(operation => Analyze(operation, callSites), OperationKind.Loop);
    }

    private static void Analyze(OperationAnalysisContext context, ModelCallSiteCatalog callSites)
    {
        var loop = (ILoopOperation)context.Operation;
        if (!LoopBounds.IsConditionLoop(loop))
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
                || ValueTracer.Unwrap(callSite.Conversation) is not ILocalReferenceOperation { Local: { } history })
            {
                continue;
            }

            var uses = body.OfType<IInvocationOperation>()
                .Where(call => Receiver(call) is ILocalReferenceOperation receiver && SymbolEqualityComparer.Default.Equals(receiver.Local, history))
                .Select(call => call.TargetMethod.Name)
                .ToArray();
            int adds = uses.Count(name => name.StartsWith("Add", System.StringComparison.Ordinal));

            // A transcript kept as text (a prompt template's {{$history}}) grows by history += turn.
            bool appended = body.OfType<ICompoundAssignmentOperation>().Any(a =>
                a.OperatorKind == BinaryOperatorKind.Add && a.Target is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, history));
            bool grows = adds > 0 || appended;
            bool trimmed = uses.Any(name => System.Array.IndexOf(Trimming, name) >= 0 || name.Contains("Reduce"))
                || body.OfType<ISimpleAssignmentOperation>().Any(a => a.Target is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, history));
            if (grows && !trimmed && !DeclaredInside(history, loop) && !MentionsAReducer(loop))
            {
                // The growth per turn, as far as the code shows it: one message per Add in the loop (AddRange adds more).
                string growth = adds == 0 ? "text" : uses.Any(name => name == "AddRange") ? $"{adds} or more messages" : adds == 1 ? "1 message" : $"{adds} messages";
                context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), history.Name, growth));
                return;
            }
        }
    }

    /// <summary>The instance, or the first argument of an extension method called as an instance method.</summary>
    private static IOperation? Receiver(IInvocationOperation call) =>
        call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? ValueTracer.Unwrap(call.Arguments[0].Value) : null);

    private static bool DeclaredInside(ILocalSymbol local, ILoopOperation loop) =>
        local.DeclaringSyntaxReferences.Any(r => loop.Syntax.Span.Contains(r.Span));

    /// <summary>A chat reducer in the same type (Microsoft.Extensions.AI's <c>UseChatReducer</c>, Semantic Kernel's
    /// history reducers) trims what is sent even though the list grows.</summary>
    private static bool MentionsAReducer(ILoopOperation loop) =>
        loop.Syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type
        && type.DescendantTokens().Any(token => token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken) && token.ValueText.Contains("Reducer"));
}
