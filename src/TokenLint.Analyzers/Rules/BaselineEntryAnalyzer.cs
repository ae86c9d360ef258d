using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Configuration;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9003 (info): one prompt's size, for a fresh <c>tokenlint.baseline.json</c>. Reported only in a build with
/// <c>TokenLintBaselineReport=true</c>, which the package's <c>TokenLintWriteBaseline</c> target runs: it collects
/// these from the build's SARIF log and writes the file (analyzers never write files).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BaselineEntryAnalyzer : ModelRuleAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.BaselineEntry,
        title: "Prompt size for the baseline",
        messageFormat: "Prompt size for the baseline: '{0}' = {1} tokens{2}",
        RuleCategories.Configuration,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Emitted only when the TokenLintWriteBaseline target asks for the sizes of the project's prompts.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BaselineEntry),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override bool StartCompilation(CompilationStartAnalysisContext start)
    {
        var global = start.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
        if (!global.TryGetValue("build_property.TokenLintBaselineReport", out var report)
            || !report.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        global.TryGetValue("build_property.MSBuildProjectDirectory", out var projectDirectory);
        start.RegisterAdditionalFileAction(file => ReportPromptFile(file, projectDirectory));
        return true;
    }

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        var prompts = new ConcurrentDictionary<string, KeyedPrompt>(StringComparer.Ordinal);
        start.RegisterOperationAction(operation => CollectFieldPrompts(operation, callSites, prompts), OperationKind.Invocation);

        // Reported once every call is seen: a prompt names a model only when all the calls that send it agree on one,
        // whatever order concurrent analysis visits them in, so a rebuilt baseline is the same file.
        start.RegisterCompilationEndAction(end =>
        {
            foreach (var pair in prompts.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                string model = pair.Value.SoleModel is { } id ? $" on '{id}'" : "";
                end.ReportDiagnostic(Diagnostic.Create(Rule, pair.Value.Location, pair.Key, pair.Value.Tokens.ToString(CultureInfo.InvariantCulture), model));
            }
        });
    }

    private static void CollectFieldPrompts(OperationAnalysisContext context, ModelCallSiteCatalog callSites, ConcurrentDictionary<string, KeyedPrompt> prompts)
    {
        if (!callSites.TryGetCallSite((IInvocationOperation)context.Operation, out var callSite))
        {
            return;
        }

        foreach (var part in callSite.PromptParts.Where(p => !p.IsOpaque))
        {
            // The keys TL4003 reads: prompts kept in a named constant or field.
            if (ValueTracer.Unwrap(part.Text) is IFieldReferenceOperation { Field: { DeclaringSyntaxReferences.Length: 1 } field })
            {
                string key = field.ContainingType.ToDisplayString() + "." + field.Name;
                var prompt = prompts.GetOrAdd(key, _ => new KeyedPrompt(
                    field.DeclaringSyntaxReferences[0].GetSyntax().GetLocation(),
                    TokenCounter.Count(PromptTextBuilder.Build(part).StaticText).Value));
                prompt.SentTo(callSite.Model?.Id);
            }
        }
    }

    /// <summary>A prompt field, its size, and the models of the calls that send it.</summary>
    private sealed class KeyedPrompt
    {
        private readonly object _gate = new();
        private string? _model;
        private bool _several;

        public KeyedPrompt(Location location, int tokens)
        {
            Location = location;
            Tokens = tokens;
        }

        public Location Location { get; }

        public int Tokens { get; }

        /// <summary>The one model every call names; null when a call names none, or two calls differ.</summary>
        public string? SoleModel
        {
            get
            {
                lock (_gate)
                {
                    return _several ? null : _model;
                }
            }
        }

        public void SentTo(string? model)
        {
            lock (_gate)
            {
                // An unknown model or a quote (which the baseline writer's pattern cannot carry) makes the model unknown.
                if (model is null || model.Length == 0 || model.IndexOf('\'') >= 0 || (_model is not null && _model != model))
                {
                    _several = true;
                }

                _model ??= model;
            }
        }
    }

    private static void ReportPromptFile(AdditionalFileAnalysisContext context, string? projectDirectory)
    {
        string path = context.AdditionalFile.Path;
        string name = Path.GetFileName(path);
        if ((!name.EndsWith(".prompt.md", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".prompt.txt", StringComparison.OrdinalIgnoreCase))
            || context.AdditionalFile.GetText(context.CancellationToken) is not { } text)
        {
            return;
        }

        // Keys are relative to the project folder, where the target writes the baseline.
        string key = path.Replace('\\', '/');
        string prefix = (projectDirectory ?? "").Replace('\\', '/').TrimEnd('/') + "/";
        if (prefix.Length > 1 && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            key = key.Substring(prefix.Length);
        }

        var start = new LinePosition(0, 0);
        var location = Location.Create(path, new TextSpan(0, 0), new LinePositionSpan(start, start));
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, key, TokenCounter.Count(text.ToString()).Value.ToString(CultureInfo.InvariantCulture), ""));
    }
}
