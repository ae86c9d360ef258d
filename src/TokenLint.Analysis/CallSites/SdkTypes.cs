using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// The supported SDKs of one compilation, each with its types resolved once. A compilation that references none
/// of them gets <see langword="null"/> from <see cref="Resolve"/>, and rules register nothing. Adding an SDK means
/// a folder beside this file with one <see cref="SdkSurface"/> subclass, a line in the constructor and its
/// <see cref="SdkNames"/> in <see cref="Names"/>.
/// </summary>
public sealed class SdkTypes
{
    private SdkTypes(Compilation compilation)
    {
        AzureOpenAI = new AzureOpenAISdk(compilation);
        OpenAI = new OpenAISdk(compilation, AzureOpenAI);
        ExtensionsAI = new ExtensionsAISdk(compilation);
        SemanticKernel = new SemanticKernelSdk(compilation, AzureOpenAI);
        Anthropic = new AnthropicSdk(compilation);
        AgentFramework = new AgentFrameworkSdk(compilation);
        RetryPolicies = new RetryPolicies(compilation);
        RoundTripLimits = new RoundTripLimits(compilation);
        ToolRunners = new ToolRunners(compilation);

        // The order in which client creations and factories are asked: Azure's client derives from OpenAI's, and
        // Microsoft.Extensions.AI's builders wrap the clients of all others, so they come first and last. Agent
        // Framework's agents run over those clients and build none.
        Surfaces = new SdkSurface[] { AzureOpenAI, OpenAI, SemanticKernel, Anthropic, ExtensionsAI, AgentFramework };
    }

    internal AzureOpenAISdk AzureOpenAI { get; }

    internal OpenAISdk OpenAI { get; }

    internal ExtensionsAISdk ExtensionsAI { get; }

    internal SemanticKernelSdk SemanticKernel { get; }

    internal AnthropicSdk Anthropic { get; }

    internal AgentFrameworkSdk AgentFramework { get; }

    internal IReadOnlyList<SdkSurface> Surfaces { get; }

    /// <summary>What each SDK says by name alone: its message readers and tool signals.</summary>
    internal static IReadOnlyList<SdkNames> Names { get; } = new[] { OpenAISdk.Names, AnthropicSdk.Names, ExtensionsAISdk.Names, SemanticKernelSdk.Names, AgentFrameworkSdk.Names };

    /// <summary>Retry policies that wrap model calls (Polly's), for TL3002.</summary>
    public RetryPolicies RetryPolicies { get; }

    /// <summary>Caps on tool round trips per request (Microsoft.Extensions.AI's function-invoking client), for TL3002.</summary>
    public RoundTripLimits RoundTripLimits { get; }

    /// <summary>Tool runners that loop until the model stops asking for tools (the Anthropic SDK's), for TL3002.</summary>
    public ToolRunners ToolRunners { get; }

    /// <summary>True when any supported SDK is referenced.</summary>
    public bool HasAnySdk => Surfaces.Any(sdk => sdk.IsReferenced);

    /// <summary>The SDK types of this compilation, or null when it references no supported SDK.</summary>
    public static SdkTypes? Resolve(Compilation compilation)
    {
        var types = new SdkTypes(compilation);
        return types.HasAnySdk ? types : null;
    }

    /// <summary>True for an enum whose members name models (Anthropic's <c>Model</c>).</summary>
    internal bool IsModelEnum(INamedTypeSymbol type) => Surfaces.Any(sdk => sdk.IsModelEnum(type));
}
