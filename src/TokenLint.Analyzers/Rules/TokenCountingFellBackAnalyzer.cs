using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.Configuration;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9002 (info): the tokenizer could not be loaded in this compiler host, so token counts in this build are
/// character estimates (4.6 characters per token; within 25% of o200k on English prose). Said once per compilation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenCountingFellBackAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.TokenCountingFellBack,
        title: "Token counts are estimates in this build",
        messageFormat: "The tokenizer could not be loaded in this compiler host ({0}); token counts in this build are estimates of 4.6 characters per token",
        RuleCategories.Configuration,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Rules that count tokens fall back to a character estimate when Microsoft.ML.Tokenizers cannot load; they never fail the build for it.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.TokenCountingFellBack),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(compilation =>
        {
            // The other rules load the tokenizer lazily; by the end of the compilation they have tried.
            if (ProjectSwitches.IsEnabled(compilation.Options) && TokenCounter.LoadFailure is { } failure)
            {
                compilation.ReportDiagnostic(Diagnostic.Create(Rule, Location.None, failure));
            }
        });
    }
}
