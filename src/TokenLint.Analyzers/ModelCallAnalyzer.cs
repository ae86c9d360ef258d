using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers;

/// <summary>
/// A rule that looks at model calls one at a time. It registers nothing when TokenLint is switched off or the
/// compilation references no supported SDK, and shares one call-site catalog per compilation with every other rule.
/// </summary>
public abstract class ModelCallAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (ModelRuleContext.TryCreate(start.Compilation, start.Options, start.CancellationToken) is not { } callSites)
            {
                return;
            }

            start.RegisterOperationAction(
                operation =>
                {
                    if (callSites.TryGetCallSite((IInvocationOperation)operation.Operation, out var callSite))
                    {
                        AnalyzeCall(operation, callSite, callSites);
                    }
                },
                OperationKind.Invocation);
        });
    }

    /// <summary>Checks one model call.</summary>
    protected abstract void AnalyzeCall(OperationAnalysisContext context, ModelCallSite callSite, ModelCallSiteCatalog callSites);
}
