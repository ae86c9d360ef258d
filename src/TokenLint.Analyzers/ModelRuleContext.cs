using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Configuration;

namespace TokenLint.Analyzers;

/// <summary>What the model rules resolve once per compilation: the SDK types and the effective catalog.</summary>
internal static class ModelRuleContext
{
    /// <summary>
    /// One call-site catalog per compilation, shared by every TokenLint analyzer, so that each invocation is
    /// recognised and traced once however many rules look at it.
    /// </summary>
    private static readonly ConditionalWeakTable<Compilation, SharedCatalog> Catalogs = new();

    /// <summary>
    /// The call-site catalog for this compilation, or null when TokenLint is switched off or no supported SDK is
    /// referenced; then the caller registers nothing, so such a project pays close to nothing.
    /// </summary>
    public static ModelCallSiteCatalog? TryCreate(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (!ProjectSwitches.IsEnabled(options))
        {
            return null;
        }

        var shared = Catalogs.GetValue(compilation, _ => new SharedCatalog());
        lock (shared)
        {
            // The same compilation analysed with other options (another catalog override) gets its own catalog.
            if (!shared.IsFor(options))
            {
                shared.Options = options;
                shared.Catalog = SdkTypes.Resolve(compilation) is { } types
                    ? new ModelCallSiteCatalog(types, () => ModelCatalogProvider.Get(options, cancellationToken).Catalog)
                    : null;
            }

            return shared.Catalog;
        }
    }

    private sealed class SharedCatalog
    {
        public AnalyzerOptions? Options { get; set; }

        public ModelCallSiteCatalog? Catalog { get; set; }

        public bool IsFor(AnalyzerOptions options) =>
            Options is not null && (ReferenceEquals(Options, options) || Options.AdditionalFiles.SequenceEqual(options.AdditionalFiles));
    }

    /// <summary>Where a call is reported: its method name (<c>CompleteChatAsync</c>), not the whole expression.</summary>
    public static Location CallLocation(IOperation invocation) => invocation.Syntax switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Name.GetLocation(),
        InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } => binding.Name.GetLocation(),
        _ => invocation.Syntax.GetLocation(),
    };
}
