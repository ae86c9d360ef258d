using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// When a cached prefix is known to be too short for the model to cache. TL2003 reports exactly these prefixes,
/// and the <c>[CachedPrompt]</c> generator leaves its breakpoints out for exactly these static prefixes: a
/// breakpoint on a prefix that falls short costs nothing (the provider just does not cache), while a missing one
/// loses the cache, so anything short of a known shortfall keeps its breakpoints.
/// </summary>
public static class CacheableLength
{
    /// <summary>
    /// Claude counts are o200k counts, and Claude's tokenizer usually yields more tokens for the same text, so a
    /// prefix is short only when even a count this much higher stays under the minimum.
    /// </summary>
    public const double ClaudeCountMargin = 1.25;

    /// <summary>
    /// Whether <paramref name="count"/> is known to fall short of <paramref name="minimum"/>: counted with the
    /// tokenizer (a character estimate is too rough), and short even with the margin added.
    /// </summary>
    public static bool IsKnownShort(TokenCount count, int minimum) =>
        !count.IsEstimate && count.Value * ClaudeCountMargin < minimum;

    /// <summary>
    /// Whether a <c>[CachedPrompt]</c> type's static prefix is known to be too short for its model: a Claude model
    /// whose minimum is confirmed, a static prefix that is constant and not empty
    /// (<see cref="PromptSections.ConstantStaticPrefix(System.Collections.Generic.IEnumerable{ConstantStaticPart}, System.Func{string, string})"/>), and a count that <see cref="IsKnownShort"/>.
    /// </summary>
    public static bool IsStaticPrefixKnownShort(ModelInfo? model, string? constantStaticPrefix, out TokenCount count, out int minimum)
    {
        count = default;
        minimum = 0;
        if (model is not { Provider: ModelProvider.Anthropic, MinCacheablePrefixTokens: { } confirmed, Unconfirmed: false }
            || constantStaticPrefix is not { Length: > 0 })
        {
            // Another provider, an unconfirmed minimum (not a fact to act on), or a static prefix with a part
            // computed at run time, which may make it long enough.
            return false;
        }

        minimum = confirmed;
        count = TokenCounter.Count(constantStaticPrefix, TokenCounter.EncodingFor(model.Id));
        return IsKnownShort(count, minimum);
    }
}
