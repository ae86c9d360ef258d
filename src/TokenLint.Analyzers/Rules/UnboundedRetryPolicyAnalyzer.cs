using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL3002: a retry policy or iteration cap set to forever around model calls: Polly's <c>RetryForever</c> and
/// <c>WaitAndRetryForever</c>, a <c>MaxRetryAttempts</c> above the threshold, or a
/// <c>FunctionInvokingChatClient</c> allowed more round trips per request than the threshold, or an SDK tool runner
/// created without an iteration limit. A failing model or a
/// model that keeps asking for tools then bills until someone notices.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedRetryPolicyAnalyzer : ModelRuleAnalyzer
{
    /// <summary>Diagnostic property: the bound the fix writes.</summary>
    public const string BoundProperty = "Bound";

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.UnboundedRetryPolicy,
        title: "Retry policy or iteration cap set to forever",
        messageFormat: "{0}: a failing or looping model call is repeated without end, and every attempt is billed; set a finite bound",
        RuleCategories.Loops,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Retries and tool round trips around model calls need a finite bound: each one resends the whole prompt.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UnboundedRetryPolicy));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        var retryPolicies = callSites.Types.RetryPolicies;
        var roundTripLimits = callSites.Types.RoundTripLimits;
        var toolRunners = callSites.Types.ToolRunners;
        if (toolRunners.IsReferenced)
        {
            // A tool runner exists to call the model again and again: it needs no model call nearby to matter.
            start.RegisterOperationAction(
                operation =>
                {
                    var invocation = (IInvocationOperation)operation.Operation;
                    if (toolRunners.DescribeUnlimitedRunner(invocation) is { } what)
                    {
                        operation.ReportDiagnostic(Diagnostic.Create(Rule, ModelRuleContext.CallLocation(invocation), what));
                    }
                },
                OperationKind.Invocation);
        }

        if (!roundTripLimits.IsReferenced && !retryPolicies.IsReferenced)
        {
            return;
        }

        // Whether a type runs model calls through a resilience pipeline, computed once per type.
        var wrapsModelCalls = new ConcurrentDictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);
        bool WrapsModelCalls(IOperation operation) =>
            operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart)?.ContainingType is { } type
            && wrapsModelCalls.GetOrAdd(type, t => ExecutesModelCalls(t, operation.SemanticModel!, callSites));

        if (retryPolicies.IsReferenced)
        {
            start.RegisterOperationAction(
                operation =>
                {
                    var invocation = (IInvocationOperation)operation.Operation;
                    var method = invocation.TargetMethod;
                    if (RetryPolicies.IsRetryForever(method) && WrapsModelCalls(invocation))
                    {
                        var bounded = RetryPolicies.BoundedName(method.Name);
                        operation.ReportDiagnostic(Diagnostic.Create(
                            Rule,
                            ModelRuleContext.CallLocation(invocation),
                            ImmutableDictionary<string, string?>.Empty.Add(BoundProperty, RetryPolicies.DefaultRetryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                            $"'{method.Name}' retries without a limit (use '{bounded}({RetryPolicies.DefaultRetryAttempts}, …)')"));
                    }
                },
                OperationKind.Invocation);
        }

        start.RegisterOperationAction(
            operation =>
            {
                var assignment = (ISimpleAssignmentOperation)operation.Operation;
                if (assignment.Target is not IPropertyReferenceOperation { Property: { } property }
                    || assignment.Value.ConstantValue is not { HasValue: true, Value: int value })
                {
                    return;
                }

                var options = operation.Options.AnalyzerConfigOptionsProvider.GetOptions(assignment.Syntax.SyntaxTree);
                if (retryPolicies.IsRetryAttemptsSetting(property)
                    && value > RuleOptions.MaxRetryAttempts.GetWholeNumber(options) && WrapsModelCalls(assignment))
                {
                    Report(operation, assignment, $"{property.Name} = {Describe(value)} retries without a practical limit", RetryPolicies.DefaultRetryAttempts);
                }
                else if (roundTripLimits.IsRoundTripLimit(property, out int bound)
                    && value > RuleOptions.MaxIterations.GetWholeNumber(options))
                {
                    Report(operation, assignment, $"{property.Name} = {Describe(value)} lets one request call the model again and again", bound);
                }
            },
            OperationKind.SimpleAssignment);
    }

    private static void Report(OperationAnalysisContext context, ISimpleAssignmentOperation assignment, string what, int bound) =>
        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            assignment.Value.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(BoundProperty, bound.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            what));

    private static string Describe(int value) => value == int.MaxValue ? "int.MaxValue" : value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// True when the type passes a model call to a resilience pipeline or policy: an <c>Execute…</c> call on a Polly
    /// type whose arguments contain a model call. Declarations of the type in other files are not read.
    /// </summary>
    private static bool ExecutesModelCalls(INamedTypeSymbol type, SemanticModel semanticModel, ModelCallSiteCatalog callSites)
    {
        foreach (var declaration in type.DeclaringSyntaxReferences.Where(r => r.SyntaxTree == semanticModel.SyntaxTree).Select(r => r.GetSyntax()))
        {
            foreach (var execute in declaration.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (execute.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } || !name.StartsWith("Execute", System.StringComparison.Ordinal)
                    || semanticModel.GetSymbolInfo(execute).Symbol is not IMethodSymbol method
                    || !RetryPolicies.IsExecute(method))
                {
                    continue;
                }

                foreach (var inner in execute.ArgumentList.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (semanticModel.GetOperation(inner) is IInvocationOperation operation && callSites.TryGetCallSite(operation, out _))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
