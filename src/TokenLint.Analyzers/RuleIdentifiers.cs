namespace TokenLint.Analyzers;

/// <summary>Every rule id, in one place. Ids are stable and never reused.</summary>
public static class RuleIdentifiers
{
    public const string PremiumModelOnTrivialCall = "TL1001";
    public const string UnknownOrRetiredModelId = "TL1002";
    public const string VolatileValueBeforeCacheablePrefix = "TL2001";
    public const string ToolsInUnstableOrder = "TL2002";
    public const string CacheBreakpointBelowMinimum = "TL2003";
    public const string CacheBreakpointAfterVolatileContent = "TL2004";
    public const string InvalidCacheBreakpointLayout = "TL2005";
    public const string UnboundedRetryLoop = "TL3001";
    public const string UnboundedRetryPolicy = "TL3002";
    public const string AgentLoopWithoutStepLimit = "TL3003";
    public const string PromptOverBudget = "TL4001";
    public const string WhitespacePadding = "TL4002";
    public const string PromptGrewPastBaseline = "TL4003";
    public const string HistoryThatOnlyGrows = "TL4004";
    public const string LoopInvariantModelCall = "TL5001";
    public const string RepeatedModelRequest = "TL5002";
    public const string InvalidConfiguration = "TL9001";
    public const string TokenCountingFellBack = "TL9002";
    public const string BaselineEntry = "TL9003";
    public const string CachedPromptGetsNoBuilder = "TL9101";
    public const string StaticSectionReadsVolatileValue = "TL9102";
    public const string PromptSectionsShareAnOrder = "TL9103";
    public const string PromptFileNotFound = "TL9104";
    public const string PromptSectionLeftOut = "TL9105";

    /// <summary>The rule's documentation page; every descriptor's help link points here.</summary>
    public static string GetHelpUri(string id) => $"https://github.com/tokenlint/tokenlint/blob/main/docs/rules/{id}.md";
}

/// <summary>Rule categories, by id range.</summary>
public static class RuleCategories
{
    /// <summary>TL1xxx</summary>
    public const string ModelChoice = "ModelChoice";

    /// <summary>TL2xxx</summary>
    public const string PromptCaching = "PromptCaching";

    /// <summary>TL3xxx</summary>
    public const string Loops = "Loops";

    /// <summary>TL4xxx</summary>
    public const string ContextSize = "ContextSize";

    /// <summary>TL5xxx</summary>
    public const string RedundantCalls = "RedundantCalls";

    /// <summary>TL9xxx</summary>
    public const string Configuration = "Configuration";
}
