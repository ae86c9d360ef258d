using TokenLint;

namespace SupportAgent;

/// <summary>
/// The FAQ answerer's prompt, declared by how often each part changes. TokenLint's generator lays it out static →
/// session → volatile whatever the order below, so the instructions stay a byte-identical cached prefix, and it
/// adds StaticPrefixTokenCount and StaticPrefixHash, which show in review when a change would bust the cache.
/// </summary>
[CachedPrompt(Model = "gpt-4.1-mini")]
public sealed partial class FaqPrompt
{
    [PromptSection(Stability.Volatile)]
    public required string Question { get; init; }

    [PromptSection(Stability.Volatile, Order = 0)]
    public required DateTimeOffset AskedAt { get; init; }

    [PromptSection(Stability.Session)]
    public required string CustomerTier { get; init; }

    [PromptSection(Stability.Static)]
    private const string Instructions = """
        You answer questions about Northwind Outfitters' shipping, returns and warranty policies.
        Answer in two or three sentences, from the policy only. If the policy does not cover the question,
        say so and offer to hand the conversation to a person.
        """;
}
