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
/// <c>FunctionInvokingChatClient</c> allowed more round trips per request than the threshold. A failing model or a
/// model that keeps asking for tools then bills until someone notices.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedRetryPolicyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the bound the fix writes.</summary>
    public const string BoundProperty = "Bound";

    /// <summary>Polly's default retry count.</summary>
    public const int DefaultRetryAttempts = 3;

    /// <summary>Microsoft.Extensions.AI's default <c>MaximumIterationsPerRequest</c>.</summary>
    public const int DefaultIterations = 40;

    /// <summary>Microsoft.Extensions.AI's default <c>MaximumConsecutiveErrorsPerRequest</c>.</summary>
    public const int DefaultConsecutiveErrors = 3;

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

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (ModelRuleContext.TryCreate(start.Compilation, start.Options, start.CancellationToken) is not { } callSites)
            {
                return;
            }

            var functionInvokingClient = start.Compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.FunctionInvokingChatClient");
            var retryOptions = start.Compilation.GetTypeByMetadataName("Polly.Retry.RetryStrategyOptions`1");
            bool hasPolly = start.Compilation.GetTypeByMetadataName("Polly.Policy") is not null || retryOptions is not null;
            if (functionInvokingClient is null && !hasPolly)
            {
                return;
            }

            // Whether a type runs model calls through a resilience pipeline, computed once per type.
            var wrapsModelCalls = new ConcurrentDictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);
            bool WrapsModelCalls(IOperation operation) =>
                operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart)?.ContainingType is { } type
                && wrapsModelCalls.GetOrAdd(type, t => ExecutesModelCalls(t, operation.SemanticModel!, callSites));

            if (hasPolly)
            {
                start.RegisterOperationAction(
                    operation =>
                    {
                        var invocation = (IInvocationOperation)operation.Operation;
                        var method = invocation.TargetMethod;
                        if (method.Name is "RetryForever" or "RetryForeverAsync" or "WaitAndRetryForever" or "WaitAndRetryForeverAsync"
                            && method.ContainingNamespace?.ToDisplayString() == "Polly"
                            && WrapsModelCalls(invocation))
                        {
                            var bounded = method.Name.Replace("Forever", "");
                            operation.ReportDiagnostic(Diagnostic.Create(
                                Rule,
                                ModelRuleContext.CallLocation(invocation),
                                ImmutableDictionary<string, string?>.Empty.Add(BoundProperty, DefaultRetryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                                $"'{method.Name}' retries without a limit (use '{bounded}({DefaultRetryAttempts}, …)')"));
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
                    var owner = property.ContainingType.OriginalDefinition;
                    if (property.Name == "MaxRetryAttempts" && retryOptions is not null && InheritsFrom(owner, retryOptions)
                        && value > RuleOptions.MaxRetryAttempts.GetWholeNumber(options) && WrapsModelCalls(assignment))
                    {
                        Report(operation, assignment, $"MaxRetryAttempts = {Describe(value)} retries without a practical limit", DefaultRetryAttempts);
                    }
                    else if (functionInvokingClient is not null && InheritsFrom(owner, functionInvokingClient)
                        && property.Name is "MaximumIterationsPerRequest" or "MaximumConsecutiveErrorsPerRequest"
                        && value > RuleOptions.MaxIterations.GetWholeNumber(options))
                    {
                        var bound = property.Name == "MaximumIterationsPerRequest" ? DefaultIterations : DefaultConsecutiveErrors;
                        Report(operation, assignment, $"{property.Name} = {Describe(value)} lets one request call the model again and again", bound);
                    }
                },
                OperationKind.SimpleAssignment);
        });
    }

    private static void Report(OperationAnalysisContext context, ISimpleAssignmentOperation assignment, string what, int bound) =>
        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            assignment.Value.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(BoundProperty, bound.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            what));

    private static string Describe(int value) => value == int.MaxValue ? "int.MaxValue" : value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static bool InheritsFrom(INamedTypeSymbol? type, INamedTypeSymbol expected)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }

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
                    || semanticModel.GetSymbolInfo(execute).Symbol is not IMethodSymbol { ContainingNamespace: { } ns }
                    || !ns.ToDisplayString().StartsWith("Polly", System.StringComparison.Ordinal))
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
