using System.Collections.Generic;
using TokenLint.Analysis.Configuration;

namespace TokenLint.Analyzers;

/// <summary>Every <c>.editorconfig</c> option a rule reads. TL9001 validates these; a test checks each appears on
/// its rule's page.</summary>
public static class RuleOptions
{
    public static readonly RuleOption MaxOutputTokens = RuleOption.WholeNumber(
        RuleIdentifiers.PremiumModelOnTrivialCall, "max_output_tokens", 64, 1, 1_000_000,
        "An output limit at or below this marks a call trivial.");

    public static readonly RuleOption PremiumModels = RuleOption.List(
        RuleIdentifiers.PremiumModelOnTrivialCall, "premium_models",
        "Comma-separated model ids that count as premium, replacing the catalog's premium tier.");

    public static readonly RuleOption PromptSignals = RuleOption.Boolean(
        RuleIdentifiers.PremiumModelOnTrivialCall, "prompt_signals", true,
        "Whether classification or yes/no wording in constant prompt text marks a call trivial.");

    public static readonly RuleOption MaxTrivialPromptLength = RuleOption.WholeNumber(
        RuleIdentifiers.PremiumModelOnTrivialCall, "max_trivial_prompt_length", Rules.TrivialCallSignals.DefaultMaxPromptLength, 0, 10_000,
        "A request that is only one constant user prompt of at most this many characters is trivial (0 turns this off).");

    public static readonly RuleOption KnownModelIds = RuleOption.List(
        RuleIdentifiers.UnknownOrRetiredModelId, "known_model_ids",
        "Comma-separated extra model ids that are never reported.");

    public static readonly RuleOption ReportDeprecated = RuleOption.Boolean(
        RuleIdentifiers.UnknownOrRetiredModelId, "report_deprecated", true,
        "Report models with an announced end of life, not only retired ones.");

    public static readonly RuleOption MinStaticTokens = RuleOption.WholeNumber(
        RuleIdentifiers.VolatileValueBeforeCacheablePrefix, "min_static_tokens", 1024, 1, 10_000_000,
        "Static text after a volatile value is reported when it has at least this many tokens (OpenAI caches from 1,024).");

    public static readonly RuleOption InsertionOrderedCollections = RuleOption.Boolean(
        RuleIdentifiers.ToolsInUnstableOrder, "insertion_ordered_collections", true,
        "Whether Dictionary and HashSet, which enumerate in insertion order unless entries are removed, count as unstable.");

    public static readonly RuleOption MaxPromptTokens = RuleOption.WholeNumber(
        RuleIdentifiers.PromptOverBudget, "max_prompt_tokens", 4000, 1, 100_000_000,
        "A prompt with more tokens than this is reported.");

    public static readonly RuleOption PromptFiles = RuleOption.List(
        RuleIdentifiers.PromptOverBudget, "prompt_files",
        "Comma-separated file-name patterns (* and ?) of AdditionalFiles that are prompts, besides *.prompt.md and *.prompt.txt.");

    public static readonly RuleOption MaxWhitespaceShare = RuleOption.WholeNumber(
        RuleIdentifiers.WhitespacePadding, "max_whitespace_percent", 10, 0, 100,
        "A prompt whose removable whitespace is more than this percentage of its tokens is reported.");

    public static readonly RuleOption MinSharedIndent = RuleOption.WholeNumber(
        RuleIdentifiers.WhitespacePadding, "min_shared_indent", 8, 0, 1_000,
        "A prompt literal whose lines all share at least this many columns of indentation is reported whatever its share (0 turns this off).");

    public static readonly RuleOption MaxGrowthPercent = RuleOption.WholeNumber(
        RuleIdentifiers.PromptGrewPastBaseline, "max_growth_percent", 10, 0, 10_000,
        "A prompt that grew past its recorded baseline by more than this percentage is reported.");

    public static readonly RuleOption MaxRetryAttempts = RuleOption.WholeNumber(
        RuleIdentifiers.UnboundedRetryPolicy, "max_retry_attempts", 100, 1, int.MaxValue,
        "A retry policy around model calls allowing more attempts than this is reported.");

    public static readonly RuleOption MaxIterations = RuleOption.WholeNumber(
        RuleIdentifiers.UnboundedRetryPolicy, "max_iterations", 100, 1, int.MaxValue,
        "A function-invoking client allowing more model round trips per request than this is reported.");

    public static IReadOnlyList<RuleOption> All { get; } = new[] { MaxOutputTokens, PremiumModels, PromptSignals, MaxTrivialPromptLength, KnownModelIds, ReportDeprecated, MinStaticTokens, InsertionOrderedCollections, MaxPromptTokens, PromptFiles, MaxWhitespaceShare, MinSharedIndent, MaxGrowthPercent, MaxRetryAttempts, MaxIterations };
}
