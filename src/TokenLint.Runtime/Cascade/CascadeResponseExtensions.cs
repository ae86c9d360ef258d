using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>Reads what a cascade attached to its response: the tier that answered and every attempt.</summary>
public static class CascadeResponseExtensions
{
    /// <summary>The <see cref="ChatResponse.AdditionalProperties"/> key of the answering tier's name (a string).</summary>
    public const string TierKey = "tokenlint.cascade.tier";

    /// <summary>The key of the attempts, an <see cref="IReadOnlyList{T}"/> of <see cref="CascadeAttempt"/>, in call order.</summary>
    public const string AttemptsKey = "tokenlint.cascade.attempts";

    /// <summary>The name of the tier whose answer this is, or null when the response did not come from a cascade.</summary>
    public static string? GetCascadeTier(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(TierKey, out object? tier) == true ? tier as string : null;
    }

    /// <summary>Every model call the cascade made for this response (rejected answers, failures, checks' calls, the answer).</summary>
    public static IReadOnlyList<CascadeAttempt> GetCascadeAttempts(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return TryGetAttempts(response.AdditionalProperties, out var attempts) ? attempts : Array.Empty<CascadeAttempt>();
    }

    /// <summary>Why each rejected answer was rejected, as "tier: reason", in order.</summary>
    public static IReadOnlyList<string> GetCascadeRejections(this ChatResponse response) =>
        CascadeAttempt.ReasonsOf(response.GetCascadeAttempts());

    internal static bool TryGetAttempts(AdditionalPropertiesDictionary? properties, out IReadOnlyList<CascadeAttempt> attempts)
    {
        if (properties is not null && properties.TryGetValue(AttemptsKey, out object? value) && value is IReadOnlyList<CascadeAttempt> list)
        {
            attempts = list;
            return true;
        }

        attempts = Array.Empty<CascadeAttempt>();
        return false;
    }
}
