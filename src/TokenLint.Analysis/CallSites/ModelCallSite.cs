using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.CallSites;

/// <summary>The SDK surface a call goes through.</summary>
public enum LlmSdk
{
    OpenAIChat,
    OpenAIResponses,
    Anthropic,
    MicrosoftExtensionsAI,
    SemanticKernel,

    /// <summary>Microsoft Agent Framework's agents over an <c>IChatClient</c>.</summary>
    MicrosoftAgentFramework,
}

/// <summary>Who serves the request, as far as the code shows.</summary>
public enum ServiceKind
{
    /// <summary>Not visible from the code (an injected client, a parameter).</summary>
    Unknown = 0,

    /// <summary>The provider's own API: model ids are the provider's.</summary>
    FirstParty,

    /// <summary>Azure OpenAI: the "model" is a deployment name the user chose.</summary>
    AzureDeployment,

    /// <summary>An OpenAI-compatible server at a custom endpoint (Ollama, vLLM, a gateway): any id goes.</summary>
    CustomEndpoint,
}

/// <summary>Where a model id came from, and whether it could be resolved to a string.</summary>
public sealed class ModelReference
{
    public ModelReference(string? id, SyntaxNode? sourceSyntax, bool isEnumMember, bool isSharedWithOtherCalls, ModelProvider provider, ServiceKind service)
    {
        Id = id;
        SourceSyntax = sourceSyntax;
        IsEnumMember = isEnumMember;
        IsSharedWithOtherCalls = isSharedWithOtherCalls;
        Provider = provider;
        Service = service;
    }

    /// <summary>The wire id (enum members are mapped through the catalog), or null when unknown.</summary>
    public string? Id { get; }

    /// <summary>The literal (or enum member access) that spells the id, where a fix can rewrite it; null when
    /// the id is computed or lives outside the analysed tree.</summary>
    public SyntaxNode? SourceSyntax { get; }

    public bool IsEnumMember { get; }

    /// <summary>True when the id reaches other calls too (a shared client, a constant, an options object used
    /// twice): changing it would change those calls as well.</summary>
    public bool IsSharedWithOtherCalls { get; }

    public ModelProvider Provider { get; }

    public ServiceKind Service { get; }
}

/// <summary>The role of a prompt part in the request.</summary>
public enum PromptRole
{
    Unknown = 0,
    System,
    User,
    Assistant,
}

/// <summary>How long a provider keeps a cached prefix.</summary>
public enum CacheTtl
{
    FiveMinutes,
    OneHour,

    /// <summary>Set from a value the code does not show.</summary>
    Unknown,
}

/// <summary>An explicit cache breakpoint (Anthropic <c>cache_control</c>) in a request.</summary>
public sealed class CacheMarker
{
    /// <summary>Marks a breakpoint on the tool definitions, which come before every prompt part.</summary>
    public const int OnTools = -1;

    /// <summary>Marks the request-level breakpoint, which moves to the last cacheable block.</summary>
    public const int Automatic = int.MaxValue;

    public CacheMarker(SyntaxNode syntax, CacheTtl ttl, int partIndex, bool isConditional = false)
    {
        IsConditional = isConditional;
        Syntax = syntax;
        Ttl = ttl;
        PartIndex = partIndex;
    }

    /// <summary>True for <c>CacheControl = condition ? new CacheControlEphemeral() : null</c>: maybe set.</summary>
    public bool IsConditional { get; }

    /// <summary>The <c>CacheControl = …</c> assignment.</summary>
    public SyntaxNode Syntax { get; }

    public CacheTtl Ttl { get; }

    /// <summary>The index in <see cref="ModelCallSite.PromptParts"/> of the block the marker ends, or
    /// <see cref="OnTools"/>, or <see cref="Automatic"/>.</summary>
    public int PartIndex { get; }
}

/// <summary>One piece of prompt text the call sends, with its constant text where the compiler knows it.</summary>
public sealed class PromptPart
{
    public PromptPart(PromptRole role, IOperation text, string? constantText, CacheMarker? cacheMarker = null, IReadOnlyList<TemplatePiece>? templatePieces = null)
    {
        TemplatePieces = templatePieces;
        Role = role;
        Text = text;
        ConstantText = constantText;
        CacheMarker = cacheMarker;
    }

    /// <summary>A cache breakpoint on this block (its part index is filled in by the call-site catalog).</summary>
    public CacheMarker? CacheMarker { get; }

    /// <summary>The pieces of a part the SDK renders from the template <see cref="Text"/>, in order; null when the
    /// text is sent as written.</summary>
    public IReadOnlyList<TemplatePiece>? TemplatePieces { get; }

    /// <summary>True for a part whose text the code does not show (history from elsewhere, an image or document block).</summary>
    public bool IsOpaque { get; private set; }

    /// <summary>A part of unknown text and role, kept so that the prompt is not mistaken for complete.</summary>
    public static PromptPart Opaque(IOperation operation, CacheMarker? cacheMarker = null) =>
        new(PromptRole.Unknown, operation, null, cacheMarker) { IsOpaque = true };

    public PromptRole Role { get; }

    public IOperation Text { get; }

    public string? ConstantText { get; }
}

/// <summary>An integer request setting (an output limit) with the syntax that sets it.</summary>
public sealed class RequestSetting
{
    public RequestSetting(long value, SyntaxNode syntax)
    {
        Value = value;
        Syntax = syntax;
    }

    public long Value { get; }

    public SyntaxNode Syntax { get; }
}

/// <summary>What the call-site catalog knows about one invocation that sends a request to a model.</summary>
public sealed class ModelCallSite
{
    public ModelCallSite(
        IInvocationOperation invocation,
        LlmSdk sdk,
        bool isStreaming,
        ModelReference? model,
        RequestSetting? maxOutputTokens,
        ITypeSymbol? structuredOutputType,
        IReadOnlyList<PromptPart> promptParts,
        IReadOnlyList<CacheMarker>? cacheMarkers = null,
        bool hasTools = false,
        IReadOnlyList<IOperation>? toolSources = null,
        IOperation? conversation = null,
        bool requestsVariedAnswers = false,
        bool servedFromCache = false,
        bool carriesUnseenContent = false,
        ModelProvider onlyProvider = ModelProvider.Unknown,
        bool changesLaterRequests = false)
    {
        ChangesLaterRequests = changesLaterRequests;
        OnlyProvider = onlyProvider;
        RequestsVariedAnswers = requestsVariedAnswers;
        ServedFromCache = servedFromCache;
        CarriesUnseenContent = carriesUnseenContent;
        Conversation = conversation;
        ToolSources = toolSources ?? System.Array.Empty<IOperation>();
        HasTools = hasTools || ToolSources.Count > 0;
        CacheMarkers = cacheMarkers ?? System.Array.Empty<CacheMarker>();
        Invocation = invocation;
        Sdk = sdk;
        IsStreaming = isStreaming;
        Model = model;
        MaxOutputTokens = maxOutputTokens;
        StructuredOutputType = structuredOutputType;
        PromptParts = promptParts;
    }

    public IInvocationOperation Invocation { get; }

    /// <summary>
    /// The provider whose models are the only ones this call can reach, whatever its model id: Anthropic for the
    /// Anthropic SDK's own client (Claude models only). Unknown when the SDK serves several providers, or the client
    /// may point elsewhere (a custom endpoint, a cloud platform's client).
    /// </summary>
    public ModelProvider OnlyProvider { get; }

    public LlmSdk Sdk { get; }

    public bool IsStreaming { get; }

    /// <summary>The model, or null when nothing in the analysed code names it.</summary>
    public ModelReference? Model { get; }

    public RequestSetting? MaxOutputTokens { get; }

    /// <summary>The <c>T</c> of a structured-output call such as <c>GetResponseAsync&lt;T&gt;</c>.</summary>
    public ITypeSymbol? StructuredOutputType { get; }

    /// <summary>Prompt text in request order: system before messages, as the provider's cache sees it.</summary>
    public IReadOnlyList<PromptPart> PromptParts { get; }

    /// <summary>
    /// Where the request's tools come from, in the code: the value assigned to <c>Tools</c>, an <c>AddRange</c>
    /// argument, or the collection a loop enumerates while it adds tools one by one.
    /// </summary>
    public IReadOnlyList<IOperation> ToolSources { get; }

    /// <summary>
    /// The value that hands the call a whole conversation the code keeps (a message list, a chat history, the
    /// <c>Messages</c> of an Anthropic request object), or null when the call takes none (a single prompt).
    /// </summary>
    public IOperation? Conversation { get; }

    /// <summary>True when the request carries tool definitions, which come first in the cached prefix.</summary>
    public bool HasTools { get; }

    /// <summary>
    /// True when the request asks for answers that differ from call to call: a temperature above 0, or one the code
    /// does not show. Sending it again samples another answer.
    /// </summary>
    public bool RequestsVariedAnswers { get; }

    /// <summary>
    /// True when sending the request changes what the next one sends: the SDK keeps the exchange in a session or a
    /// history or memory provider that later requests replay (an Agent Framework agent run in a session). Sending
    /// the same arguments again is the next turn, not a repeat.
    /// </summary>
    public bool ChangesLaterRequests { get; }

    /// <summary>True when the client answers repeated requests from a cache it is built with (a caching middleware).</summary>
    public bool ServedFromCache { get; }

    /// <summary>
    /// True when the request may carry content that <see cref="PromptParts"/> and the tools do not show: options
    /// or settings whose creation the code does not show, instructions or tool choices the catalog does not read
    /// as parts, a template that fills in values, or a conversation the service keeps (a previous response id).
    /// </summary>
    public bool CarriesUnseenContent { get; }

    /// <summary>Explicit cache breakpoints in request order: tools, system, messages, then the request-level one.</summary>
    public IReadOnlyList<CacheMarker> CacheMarkers { get; }
}
