namespace TokenLint.Generators;

/// <summary>Names of the generator's steps, which incrementality tests read the run reasons of.</summary>
public static class TrackingNames
{
    public const string PromptTypes = nameof(PromptTypes);
    public const string ReferencesMicrosoftExtensionsAI = nameof(ReferencesMicrosoftExtensionsAI);
    public const string ReferencesAnthropic = nameof(ReferencesAnthropic);
    public const string LanguageVersion = nameof(LanguageVersion);
    public const string PromptTypesWithAdapters = nameof(PromptTypesWithAdapters);
}
