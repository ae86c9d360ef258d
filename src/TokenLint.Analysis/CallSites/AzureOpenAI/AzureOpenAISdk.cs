using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;
using static TokenLint.Analysis.CallSites.SdkSymbols;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Azure.AI.OpenAI: an <c>AzureOpenAIClient</c> is an OpenAI client whose "model" is a deployment name the user
/// chose, so its ids are not checked against the catalog. Its requests go through the OpenAI SDK's clients
/// (<see cref="OpenAISdk"/>), which ask <see cref="IsAzureClient"/> who serves them.
/// </summary>
internal sealed class AzureOpenAISdk : SdkSurface
{
    private readonly INamedTypeSymbol? _client;

    public AzureOpenAISdk(Compilation compilation)
    {
        _client = compilation.GetTypeByMetadataName("Azure.AI.OpenAI.AzureOpenAIClient");
    }

    /// <summary>True for <c>AzureOpenAIClient</c> and types derived from it.</summary>
    public bool IsAzureClient(ITypeSymbol? type) => type is INamedTypeSymbol named && InheritsFrom(named, _client);

    public override bool TryOriginOfCreation(IObjectCreationOperation creation, INamedTypeSymbol type, ClientOriginTracer tracer, int depth, out ClientOrigin? origin)
    {
        origin = IsAzureClient(type) ? new ClientOrigin(ModelProvider.OpenAI, ServiceKind.AzureDeployment, null, null, false) : null;
        return origin is not null;
    }
}
