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
    /// The call-site catalog for this compilation, or null when TokenLint is switched off or no supported SDK is
    /// referenced; then the caller registers nothing, so such a project pays close to nothing.
    /// </summary>
    public static ModelCallSiteCatalog? TryCreate(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (!ProjectSwitches.IsEnabled(options) || SdkTypes.Resolve(compilation) is not { } types)
        {
            return null;
        }

        var catalog = ModelCatalogProvider.Get(options, cancellationToken).Catalog;
        return new ModelCallSiteCatalog(types, catalog);
    }

    /// <summary>Where a call is reported: its method name (<c>CompleteChatAsync</c>), not the whole expression.</summary>
    public static Location CallLocation(IOperation invocation) => invocation.Syntax switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Name.GetLocation(),
        InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } => binding.Name.GetLocation(),
        _ => invocation.Syntax.GetLocation(),
    };
}
