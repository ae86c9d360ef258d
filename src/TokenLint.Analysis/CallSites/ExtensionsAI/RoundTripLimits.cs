using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Microsoft.Extensions.AI's function-invoking client, for TL3002: the caps on how often one request calls the
/// model again (<c>MaximumIterationsPerRequest</c>, <c>MaximumConsecutiveErrorsPerRequest</c>) and their defaults.
/// Resolved once per compilation.
/// </summary>
public sealed class RoundTripLimits
{
    /// <summary>The default <c>MaximumIterationsPerRequest</c>.</summary>
    public const int DefaultIterations = 40;

    /// <summary>The default <c>MaximumConsecutiveErrorsPerRequest</c>.</summary>
    public const int DefaultConsecutiveErrors = 3;

    private readonly INamedTypeSymbol? _functionInvokingClient;

    internal RoundTripLimits(Compilation compilation)
    {
        _functionInvokingClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.FunctionInvokingChatClient");
    }

    /// <summary>True when the compilation references the function-invoking client.</summary>
    public bool IsReferenced => _functionInvokingClient is not null;

    /// <summary>A cap on round trips per request, with the default the fix writes back.</summary>
    public bool IsRoundTripLimit(IPropertySymbol property, out int defaultValue)
    {
        defaultValue = property.Name switch
        {
            "MaximumIterationsPerRequest" => DefaultIterations,
            "MaximumConsecutiveErrorsPerRequest" => DefaultConsecutiveErrors,
            _ => 0,
        };
        return defaultValue > 0 && _functionInvokingClient is not null && SdkSymbols.InheritsFrom(property.ContainingType.OriginalDefinition, _functionInvokingClient);
    }
}
