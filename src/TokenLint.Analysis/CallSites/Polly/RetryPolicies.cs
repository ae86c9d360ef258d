using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Polly, for TL3002: the retry policies that never give up (<c>RetryForever</c>, <c>WaitAndRetryForever</c> and
/// their async forms), the retry strategy's <c>MaxRetryAttempts</c>, and the <c>Execute…</c> calls that run a model
/// call through a policy or pipeline. Resolved once per compilation.
/// </summary>
public sealed class RetryPolicies
{
    /// <summary>Polly's default retry count.</summary>
    public const int DefaultRetryAttempts = 3;

    private const string ForeverSuffix = "Forever";

    private readonly INamedTypeSymbol? _retryStrategyOptions;

    internal RetryPolicies(Compilation compilation)
    {
        _retryStrategyOptions = compilation.GetTypeByMetadataName("Polly.Retry.RetryStrategyOptions`1");
        IsReferenced = compilation.GetTypeByMetadataName("Polly.Policy") is not null || _retryStrategyOptions is not null;
    }

    /// <summary>True when the compilation references Polly (its v7 policies or its v8 strategies).</summary>
    public bool IsReferenced { get; }

    /// <summary><c>RetryForever()</c> and its kin on a Polly policy builder.</summary>
    public static bool IsRetryForever(IMethodSymbol method) =>
        method.Name is "RetryForever" or "RetryForeverAsync" or "WaitAndRetryForever" or "WaitAndRetryForeverAsync"
        && NamespaceNames.Is(method.ContainingNamespace, "Polly");

    /// <summary>
    /// A forever-retry the fix can bound without changing its meaning: the bounded overloads take their
    /// <c>onRetry</c> callbacks with other parameters in another order, so only the forms without a callback.
    /// </summary>
    public static bool CanBound(IMethodSymbol? method) => method switch
    {
        { Name: "RetryForever" or "RetryForeverAsync", Parameters.Length: 0 } => true,
        { Name: "WaitAndRetryForever" or "WaitAndRetryForeverAsync", Parameters: [{ Name: "sleepDurationProvider" }] } => true,
        _ => false,
    };

    /// <summary>The bounded method of a forever-retry (<c>WaitAndRetryForever</c> → <c>WaitAndRetry</c>), or the name itself.</summary>
    public static string BoundedName(string methodName) => methodName.Replace(ForeverSuffix, "");

    /// <summary><c>MaxRetryAttempts</c> of a retry strategy's options (or a type derived from them).</summary>
    public bool IsRetryAttemptsSetting(IPropertySymbol property) =>
        property.Name == "MaxRetryAttempts" && _retryStrategyOptions is not null && SdkSymbols.InheritsFrom(property.ContainingType.OriginalDefinition, _retryStrategyOptions);

    /// <summary>An <c>Execute…</c> method of a Polly policy or pipeline: what it is given runs under its retries.</summary>
    public static bool IsExecute(IMethodSymbol method) =>
        method.Name.StartsWith("Execute", System.StringComparison.Ordinal)
        && NamespaceNames.IsOrIsIn(method.ContainingNamespace, "Polly");
}
