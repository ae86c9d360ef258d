using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TokenLint.Runtime;

/// <summary>
/// The words of a question as the guards compare them: lower case, contractions spelled out ("can't" -> "can not"),
/// a plural's s dropped; with its negations, literals (numbers, amounts, dates, quoted strings) and content words.
/// </summary>
internal sealed class QuestionText
{
    private static readonly FrozenSet<string> Negations = FrozenSet.ToFrozenSet(
        ["not", "no", "never", "without", "nobody", "nothing", "none", "neither", "nor", "nowhere", "cannot"], StringComparer.Ordinal);

    // Month and day names are dates even without digits: "in March" is not "in May".
    private static readonly FrozenSet<string> DateWords = FrozenSet.ToFrozenSet(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
         "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today", "tomorrow"], StringComparer.Ordinal);

    // Words that carry no topic: question words, pronouns, auxiliaries, prepositions, articles.
    private static readonly FrozenSet<string> FunctionWords = FrozenSet.ToFrozenSet(
        ["a", "an", "the", "and", "or", "but", "if", "then", "so", "than", "as", "of", "in", "on", "at", "to", "for", "from", "by",
         "with", "about", "into", "over", "after", "before", "between", "through", "during", "up", "down", "out", "off",
         "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "whats", "is", "are", "was", "were", "be", "been",
         "being", "am", "do", "does", "did", "doing", "done", "have", "has", "had", "having", "can", "could", "will", "would",
         "shall", "should", "may", "might", "must", "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "he",
         "him", "his", "she", "her", "hers", "it", "its", "we", "us", "our", "ours", "they", "them", "their", "theirs", "this",
         "that", "these", "those", "there", "here", "some", "any", "all", "each", "every", "one", "ones", "get", "got", "getting",
         "make", "way", "ways", "best", "good", "really", "much", "many", "more", "most", "very", "just", "also", "too", "ever",
         "someone", "something", "anyone", "anything", "thing", "things", "use", "using", "know", "possible", "s", "t", "ll", "re",
         "ve", "d", "m", "else", "other", "like", "want", "need", "go", "going", "it's"], StringComparer.Ordinal);

    private QuestionText(List<string> words, List<string> literals, bool negated)
    {
        Words = words;
        Literals = literals;
        Negated = negated;
    }

    /// <summary>Every word, normalised.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Numbers, amounts, dates and quoted strings, in order.</summary>
    public IReadOnlyList<string> Literals { get; }

    /// <summary>Whether the question has a negation.</summary>
    public bool Negated { get; }

    public static bool IsContentWord(string word) => word.Length > 1 && !FunctionWords.Contains(word) && !Negations.Contains(word);

    public static QuestionText Parse(string text)
    {
        var words = new List<string>();
        var literals = new List<string>();
        bool negated = false;
        var word = new StringBuilder();
        char quote = '\0';
        int quoteStart = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c) || ((c is '.' or ',') && word.Length > 0 && char.IsDigit(word[^1]) && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (c is '\'' or '’' && word.Length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                // A contraction: "can't", "don't", "it's". The part after the apostrophe is its own word.
                AddWord(Contracted(word.ToString()), words, literals, ref negated);
                word.Clear();
                if (i + 1 < text.Length && text[i + 1] == 't' && (i + 2 >= text.Length || !char.IsLetter(text[i + 2])))
                {
                    negated = true;
                    words.Add("not");
                    i++;
                }

                continue;
            }

            if (word.Length > 0)
            {
                AddWord(word.ToString(), words, literals, ref negated);
                word.Clear();
            }

            if (c is '"' or '“' or '”' or '\'' or '‘' or '’')
            {
                if (quote == '\0' && (i == 0 || !char.IsLetterOrDigit(text[i - 1])))
                {
                    quote = c;
                    quoteStart = i + 1;
                }
                else if (quote != '\0' && i > quoteStart)
                {
                    literals.Add("\"" + text[quoteStart..i].Trim().ToLowerInvariant() + "\"");
                    quote = '\0';
                }
            }
            else if (c is '$' or '€' or '£' or '%')
            {
                literals.Add(c.ToString());
            }
        }

        return new QuestionText(words, literals, negated);
    }

    private static string Contracted(string stem) => stem switch
    {
        "can" => "can",
        "won" => "will",
        "don" or "doesn" or "didn" => "do",
        "isn" or "aren" or "wasn" or "weren" => "is",
        "haven" or "hasn" or "hadn" => "have",
        "shouldn" => "should",
        "wouldn" => "would",
        "couldn" => "could",
        _ => stem,
    };

    private static void AddWord(string word, List<string> words, List<string> literals, ref bool negated)
    {
        if (Negations.Contains(word))
        {
            negated = true;
        }

        if (char.IsDigit(word[0]) || DateWords.Contains(word) || word.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
        {
            literals.Add(word);
        }

        words.Add(Singular(word));
    }

    /// <summary>A plural's s dropped, so "cards" matches "card" (crude, but the same on both sides).</summary>
    internal static string Singular(string word) =>
        word.Length > 3 && word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i') ? word[..^1] : word;

    /// <summary>Invariant lower-case, for hashing text the same way everywhere.</summary>
    internal static string Lower(string text) => text.ToLower(CultureInfo.InvariantCulture);
}
