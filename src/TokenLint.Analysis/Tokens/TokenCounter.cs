using System;
using System.Text;
using System.Threading;
using Microsoft.ML.Tokenizers;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.Tokens;

/// <summary>A token count, and whether it is an estimate rather than an exact tokenizer count.</summary>
public readonly struct TokenCount
{
    public TokenCount(int value, bool isEstimate)
    {
        Value = value;
        IsEstimate = isEstimate;
    }

    public int Value { get; }

    public bool IsEstimate { get; }

    /// <summary><c>2,048</c>, or <c>about 2,048</c> for an estimate.</summary>
    public override string ToString() => (IsEstimate ? "about " : "") + Value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Counts tokens with Microsoft.ML.Tokenizers, loaded lazily once per compiler process (0.4–0.8 s), and only
/// for text a cheap bound cannot decide: a BPE token is at least one UTF-8 byte, so text of fewer bytes than
/// a threshold has fewer tokens. If the tokenizer cannot load in some host, counts fall back to a
/// character-based estimate and <see cref="LoadFailure"/> says why; nothing throws.
/// </summary>
public static class TokenCounter
{
    /// <summary>
    /// Characters per token of the fallback estimate: o200k gives 4.57 on the sample's 7,314-character support
    /// policy (1,600 tokens) and 4.8–5.1 on short English instructions; tests hold the estimate within 25%.
    /// </summary>
    public const double EstimatedCharactersPerToken = 4.6;

    private static readonly Lazy<Tokenizer?> O200k = new(() => Load("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Tokenizer?> Cl100k = new(() => Load("cl100k_base"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _loadFailure;

    /// <summary>
    /// Counts of long texts, which several rules and calls ask about (a shared system prompt). Bounded: cleared
    /// when full, so a long IDE session cannot grow it without end.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(TokenEncoding, string), int> RecentCounts = new();
    private const int CachedTextMinimumLength = 512;
    private const int MaxCachedCounts = 512;

    /// <summary>The longest run of non-white-space characters counted exactly (about 2 ms at this length).</summary>
    public const int MaxExactRunLength = 4_000;

    private static bool HasRunLongerThan(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return false;
        }

        int run = 0;
        foreach (char c in text)
        {
            run = char.IsWhiteSpace(c) ? 0 : run + 1;
            if (run > limit)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why the tokenizer could not be loaded in this process, or null when it loaded (or was never needed).</summary>
    public static string? LoadFailure => Volatile.Read(ref _loadFailure);

    /// <summary>The encoding a model's text is counted with, as the built-in catalog says (see <see cref="ModelCatalog.EncodingFor"/>).</summary>
    public static TokenEncoding EncodingFor(string? modelId) =>
        modelId is null ? TokenEncoding.O200kBase : ModelCatalog.BuiltIn.EncodingFor(modelId);

    /// <summary>The exact count (or the estimate, when the tokenizer is unavailable).</summary>
    public static TokenCount Count(string text, TokenEncoding encoding = TokenEncoding.O200kBase)
    {
        if (text.Length == 0)
        {
            return new TokenCount(0, isEstimate: false);
        }

        // The tokenizer's time grows with the square of the longest run without a space (a 40,000-letter run takes
        // half a second, two million letters minutes): inside the compiler such text is estimated instead.
        if (HasRunLongerThan(text, MaxExactRunLength))
        {
            return Estimate(text);
        }

        var tokenizer = encoding == TokenEncoding.Cl100kBase ? Cl100k.Value : O200k.Value;
        if (tokenizer is null)
        {
            return Estimate(text);
        }

        try
        {
            if (text.Length < CachedTextMinimumLength)
            {
                return new TokenCount(tokenizer.CountTokens(text), isEstimate: false);
            }

            if (RecentCounts.Count >= MaxCachedCounts)
            {
                RecentCounts.Clear();
            }

            return new TokenCount(RecentCounts.GetOrAdd((encoding, text), key => tokenizer.CountTokens(key.Item2)), isEstimate: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            RecordFailure(e);
            return Estimate(text);
        }
    }

    /// <summary>
    /// Whether <paramref name="text"/> has at least <paramref name="threshold"/> tokens. The tokenizer is not
    /// touched when the byte count already decides; <paramref name="count"/> is then an upper bound only.
    /// </summary>
    public static bool IsAtLeast(string text, int threshold, TokenEncoding encoding, out TokenCount count)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes < threshold)
        {
            count = new TokenCount(bytes, isEstimate: true);
            return false;
        }

        count = Count(text, encoding);
        return count.Value >= threshold;
    }

    /// <summary>The character-based fallback.</summary>
    public static TokenCount Estimate(string text) =>
        new((int)Math.Ceiling(text.Length / EstimatedCharactersPerToken), isEstimate: true);

    private static Tokenizer? Load(string encoding)
    {
        try
        {
            return TiktokenTokenizer.CreateForEncoding(encoding);
        }
        catch (Exception e)
        {
            // A missing data assembly or a host that cannot load the tokenizer: estimate instead, never throw.
            RecordFailure(e);
            return null;
        }
    }

    private static void RecordFailure(Exception e) =>
        Interlocked.CompareExchange(ref _loadFailure, $"{e.GetType().Name}: {e.Message}", null);
}
