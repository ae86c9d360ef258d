using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Configuration;

namespace TokenLint.Analyzers;

/// <summary>
/// A rule that reads model calls through the SDK call-site catalog. It registers nothing when TokenLint is
/// switched off; its model checks register only when the compilation references a supported SDK, and share one
/// catalog per compilation with every other rule. Rules never name SDK types: they ask the catalog.
/// </summary>
public abstract class ModelRuleAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!ProjectSwitches.IsEnabled(start.Options) || !StartCompilation(start))
            {
                return;
            }

            if (ModelRuleContext.TryCreate(start.Compilation, start.Options, start.CancellationToken) is { } callSites)
            {
                StartModelChecks(start, callSites);
            }
        });
    }

    /// <summary>Registers what needs no SDK (prompt types, prompt files); false to register nothing more.</summary>
#pragma warning disable RS1012 // The default registers nothing: most rules only check model calls.
    protected virtual bool StartCompilation(CompilationStartAnalysisContext start) => true;
#pragma warning restore RS1012

    /// <summary>Registers the checks of model calls, for a compilation that references a supported SDK.</summary>
    protected abstract void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites);
}
