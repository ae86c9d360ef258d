using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers;

/// <summary>A rule that looks at model calls one at a time.</summary>
public abstract class ModelCallAnalyzer : ModelRuleAnalyzer
{
    protected sealed override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites) =>
        start.RegisterOperationAction(
            operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                if (callSites.TryGetCallSite(invocation, out var callSite)
                    || (ReadsRequestDefinitions && callSites.TryGetRequestDefinition(invocation, out callSite)))
                {
                    AnalyzeCall(operation, callSite, callSites);
                }
            },
            OperationKind.Invocation);

    /// <summary>
    /// True for a rule about what a request says (its model, its prompt), which also checks calls that define a
    /// request sent by code the catalog does not see; false for rules about how often requests are sent.
    /// </summary>
    protected virtual bool ReadsRequestDefinitions => false;

    /// <summary>Checks one model call.</summary>
    protected abstract void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites);
}
