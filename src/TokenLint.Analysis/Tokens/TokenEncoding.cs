namespace TokenLint.Analysis.Tokens;

/// <summary>The byte-pair encodings TokenLint counts with; the model catalog says which one each model uses.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
enum TokenEncoding
{
    /// <summary>gpt-4o and newer; also used, as an estimate, for Claude (whose tokenizer is not public).</summary>
    O200kBase,

    /// <summary>gpt-4 and gpt-3.5.</summary>
    Cl100kBase,
}
