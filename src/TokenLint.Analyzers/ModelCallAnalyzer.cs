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
                if (callSites.TryGetCallSite((IInvocationOperation)operation.Operation, out var callSite))
                {
                    AnalyzeCall(operation, callSite, callSites);
                }
            },
            OperationKind.Invocation);

    /// <summary>Checks one model call.</summary>
    protected abstract void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites);
}
