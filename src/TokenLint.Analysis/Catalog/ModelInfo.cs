using System;
using System.Collections.Generic;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Catalog;

/// <summary>Which company serves a model on its first-party API.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
enum ModelProvider
{
    Unknown = 0,
    Anthropic,
    OpenAI,
    Google,
}

/// <summary>Price class of a model. TL1001 treats <see cref="Premium"/> as overspending on trivial calls.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
enum ModelTier
{
    Unknown = 0,
    Economy,
    Standard,
    Premium,
}

/// <summary>Whether a model is still served.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
enum ModelStatus
{
    Active = 0,

    /// <summary>End of life announced, still served.</summary>
    Deprecated,

    /// <summary>No longer served on the provider's first-party API.</summary>
    Retired,
}

/// <summary>One entry of the model catalog: prices are US dollars per million tokens.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
sealed class ModelInfo
{
    public string Id { get; internal set; } = "";

    public ModelProvider Provider { get; internal set; }

    public string? Family { get; internal set; }

    public ModelTier Tier { get; internal set; }

    public IReadOnlyList<string> Aliases { get; internal set; } = Array.Empty<string>();

    /// <summary>
    /// The public encoding that counts this model's tokens exactly; null when the provider publishes none (Claude,
    /// Gemini), whose text TokenLint counts with o200k_base as an estimate.
    /// </summary>
    public TokenEncoding? Tokenizer { get; internal set; }

    public double? InputPrice { get; internal set; }

    public double? OutputPrice { get; internal set; }

    public double? CacheWrite5mPrice { get; internal set; }

    public double? CacheWrite1hPrice { get; internal set; }

    public double? CacheReadPrice { get; internal set; }

    /// <summary>Input tokens above which the long-context prices apply.</summary>
    public int? LongContextThreshold { get; internal set; }

    public double? LongContextInputPrice { get; internal set; }

    public double? LongContextOutputPrice { get; internal set; }

    /// <summary>Share of the price paid through the batch API (0.5 = half price).</summary>
    public double? BatchDiscount { get; internal set; }

    public int? MaxOutputTokens { get; internal set; }

    /// <summary>Shortest prefix the provider caches; a breakpoint on less caches nothing.</summary>
    public int? MinCacheablePrefixTokens { get; internal set; }

    public int? ContextWindow { get; internal set; }

    public ModelStatus Status { get; internal set; }

    /// <summary>End-of-life date, <c>yyyy-MM-dd</c>, where known.</summary>
    public string? RetirementDate { get; internal set; }

    /// <summary>The id the provider says to migrate to.</summary>
    public string? Replacement { get; internal set; }

    /// <summary>A cheaper active model of the same provider that a fix may suggest for trivial calls.</summary>
    public string? CheaperSibling { get; internal set; }

    /// <summary>Date the prices were last checked, <c>yyyy-MM-dd</c>.</summary>
    public string? Checked { get; internal set; }

    /// <summary>True where the figures are not confirmed by the provider's own documentation.</summary>
    public bool Unconfirmed { get; internal set; }

    public string? Notes { get; internal set; }

    internal ModelInfo Clone() => (ModelInfo)MemberwiseClone();

    public override string ToString() => Id;
}
