using System;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Catalog;

/// <summary>
/// What the catalog says about ids it has no entry for, by how they start: a new <c>claude-…</c> id is Anthropic's,
/// and every <c>gpt-4-…</c> or <c>gpt-3.5-…</c> id counts its tokens with cl100k_base.
/// </summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
sealed class ModelIdPrefix
{
    public ModelIdPrefix(string prefix, ModelProvider provider, TokenEncoding? tokenizer)
    {
        Prefix = prefix;
        Provider = provider;
        Tokenizer = tokenizer;
    }

    /// <summary>The start of the ids, ending with <c>-</c> (<c>gpt-4-</c>); the stem alone (<c>gpt-4</c>) matches too.</summary>
    public string Prefix { get; }

    public ModelProvider Provider { get; }

    /// <summary>The encoding that counts these models' tokens exactly; null when none is public.</summary>
    public TokenEncoding? Tokenizer { get; }

    /// <summary>Whether <paramref name="id"/> starts with <see cref="Prefix"/> or is its stem, in any case.</summary>
    public bool Matches(string id) =>
        id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
        || (id.Length == Prefix.Length - 1 && Prefix.StartsWith(id, StringComparison.OrdinalIgnoreCase));
}
