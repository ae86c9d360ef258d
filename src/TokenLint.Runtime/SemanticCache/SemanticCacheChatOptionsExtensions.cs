using System;

// The namespace of ChatOptions, so the switch shows up without a using.
namespace Microsoft.Extensions.AI;

/// <summary>Per-request switches of TokenLint's semantic cache.</summary>
public static class SemanticCacheChatOptionsExtensions
{
    /// <summary>
    /// The <see cref="ChatOptions.AdditionalProperties"/> key that makes every semantic cache in the pipeline neither
    /// serve nor store the request.
    /// </summary>
    public const string BypassKey = "tokenlint.semantic_cache.bypass";

    /// <summary>
    /// Marks the request so that no semantic cache serves or stores it: samples drawn on purpose (a cascade's
    /// self-consistency check), or a caller that wants a fresh answer.
    /// </summary>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithSemanticCacheBypass(this ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= new AdditionalPropertiesDictionary())[BypassKey] = true;
        return options;
    }

    /// <summary>Whether <paramref name="options"/> asks every semantic cache to leave the request alone.</summary>
    public static bool BypassesSemanticCache(this ChatOptions? options) =>
        options?.AdditionalProperties is { } properties
        && properties.TryGetValue(BypassKey, out object? value)
        && value is true;
}
