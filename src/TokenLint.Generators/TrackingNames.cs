namespace TokenLint.Generators;

/// <summary>Names of the generator's steps, which incrementality tests read the run reasons of.</summary>
public static class TrackingNames
{
    public const string FileMentions = nameof(FileMentions);
    public const string PromptTypes = nameof(PromptTypes);
    public const string OptionsOnceNeeded = nameof(OptionsOnceNeeded);
    public const string EmitTargets = nameof(EmitTargets);
    public const string PromptTypesWithAdapters = nameof(PromptTypesWithAdapters);
    public const string ReferencedPromptFiles = nameof(ReferencedPromptFiles);
    public const string PromptFileTexts = nameof(PromptFileTexts);
    public const string PromptFiles = nameof(PromptFiles);
    public const string PromptTypesWithFiles = nameof(PromptTypesWithFiles);
    public const string ModelCatalogOverrideTexts = nameof(ModelCatalogOverrideTexts);
    public const string ModelCatalogOverrides = nameof(ModelCatalogOverrides);
    public const string ResolvedPromptTypes = nameof(ResolvedPromptTypes);
}
