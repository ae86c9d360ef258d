using System;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>One tier of a cascade: a pre-built client (its own pipeline and model) and the name it is reported under.</summary>
/// <remarks>
/// The name is a metric tag and appears in the response's attempts: keep it short and fixed (a model family, "cheap",
/// "strong"), never a request value. A cascade picks between clients rather than rewriting
/// <see cref="ChatOptions.ModelId"/>, which some provider adapters ignore.
/// </remarks>
public sealed class CascadeTier
{
    public CascadeTier(IChatClient client, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        string? resolved = string.IsNullOrWhiteSpace(name) ? client.GetService<ChatClientMetadata>()?.DefaultModelId : name;
        Name = resolved ?? "tier";
        IsNamed = resolved is not null;
    }

    /// <summary>False when neither a name nor a default model id was found: the cascade then names it by position.</summary>
    internal bool IsNamed { get; }

    public IChatClient Client { get; }

    /// <summary>The tier's name in attempts, logs and metric tags; the client's default model id unless given, else "tier0", "tier1"... by position.</summary>
    public string Name { get; }
}
