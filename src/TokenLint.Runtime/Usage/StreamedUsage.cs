using Microsoft.Extensions.AI;

namespace TokenLint.Runtime;

/// <summary>
/// What a stream of updates says about its call: the model, the response id, and the usage, summed over every
/// <see cref="UsageContent"/> as <c>ToChatResponse</c> does, so a stream meters as its merged response would.
/// </summary>
internal sealed class StreamedUsage
{
    public UsageDetails? Usage { get; private set; }

    public string? ModelId { get; private set; }

    public string? ResponseId { get; private set; }

    /// <summary>True once any update arrived: the provider started generating, and bills for it.</summary>
    public bool Started { get; private set; }

    public void Observe(ChatResponseUpdate update)
    {
        Started = true;
        ModelId ??= update.ModelId;
        ResponseId ??= update.ResponseId;
        foreach (var content in update.Contents)
        {
            if (content is UsageContent usage)
            {
                Usage ??= new UsageDetails();
                Usage.Add(usage.Details);
            }
        }
    }
}
