using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;
using static TokenLint.Analysis.CallSites.SdkSymbols;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// The Anthropic SDK: <c>client.Messages.Create(parameters)</c> (and the beta service), the <c>Model</c> enum,
/// who serves a client (only <c>AnthropicClient</c> without a custom <c>BaseUrl</c> is Anthropic's own API; Bedrock,
/// Vertex and Foundry clients implement the same interface), message and content blocks with their
/// <c>cache_control</c> breakpoints (<see cref="AnthropicCacheMarkers"/>), and Microsoft.Extensions.AI's adapter
/// (<c>client.AsIChatClient(model)</c>).
/// </summary>
internal sealed class AnthropicSdk : SdkSurface
{
    /// <summary>Calls that read a message list they are given, rather than fill it (see <see cref="PromptPartCollector"/>).</summary>
    private static readonly string[] MessageReaders = { "Create", "CreateStreaming" };

    /// <summary>What this SDK says by name alone (see <see cref="SdkNames"/>).</summary>
    public static readonly SdkNames Names = new(MessageReaders, IsToolSignal, IsToolCallType, new[] { "StopReason" });

    public override SdkNames ByName => Names;

    /// <summary>Request parameters that add content the prompt parts do not show (tool choices, MCP servers, a container).</summary>
    private static readonly string[] UnseenParameters = { "ToolChoice", "McpServers", "Container", "Thinking" };

    private readonly INamedTypeSymbol? _clientInterface;
    private readonly INamedTypeSymbol? _client;
    private readonly INamedTypeSymbol? _messageService;
    private readonly INamedTypeSymbol? _betaMessageService;
    private readonly INamedTypeSymbol? _messageCreateParams;
    private readonly INamedTypeSymbol? _betaMessageCreateParams;
    private readonly INamedTypeSymbol? _model;
    private readonly INamedTypeSymbol? _chatClientAdapter;

    public AnthropicSdk(Compilation compilation)
    {
        _clientInterface = compilation.GetTypeByMetadataName("Anthropic.IAnthropicClient");
        _client = compilation.GetTypeByMetadataName("Anthropic.AnthropicClient");
        _messageService = compilation.GetTypeByMetadataName("Anthropic.Services.IMessageService");
        _betaMessageService = compilation.GetTypeByMetadataName("Anthropic.Services.Beta.IMessageService");
        _messageCreateParams = compilation.GetTypeByMetadataName("Anthropic.Models.Messages.MessageCreateParams");
        _betaMessageCreateParams = compilation.GetTypeByMetadataName("Anthropic.Models.Beta.Messages.MessageCreateParams");
        _model = compilation.GetTypeByMetadataName("Anthropic.Models.Messages.Model");
        _chatClientAdapter = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.AnthropicClientExtensions");
    }

    public override bool IsReferenced => _messageService is not null;

    public override bool IsModelEnum(INamedTypeSymbol type) => SymbolEqualityComparer.Default.Equals(type, _model);

    public override ModelCallSite? Recognize(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader) =>
        definition.Name is "Create" or "CreateStreaming" && IsMessageService(definition.ContainingType)
            ? Messages(invocation, definition.Name == "CreateStreaming", reader)
            : null;

    private static ModelCallSite Messages(IInvocationOperation invocation, bool streaming, CallSiteReader reader)
    {
        var origin = reader.ReceiverOrigin(invocation);
        var parameters = ObjectSettings.Trace(Argument(invocation, "parameters"));
        var parts = new List<PromptPart>();
        if (parameters?.Get("System") is { } system)
        {
            var systemText = ValueTracer.Unwrap(system);
            // One string (a constant, an interpolated string, a parameter) is one system block.
            if (PromptPartCollector.ConstantText(systemText) is not null || systemText.Type?.SpecialType == SpecialType.System_String)
            {
                PromptPartCollector.AddText(parts, PromptRole.System, systemText);
            }
            else
            {
                reader.Prompts.AddMessages(parts, systemText, PromptRole.System);
            }
        }

        reader.Prompts.AddMessages(parts, parameters?.Get("Messages"), request: invocation.Syntax);
        var model = reader.ResolveModel(parameters?.Get("Model"), ModelProvider.Anthropic, origin?.Service ?? ServiceKind.Unknown, parameters?.IsShared == true);
        return new ModelCallSite(invocation, LlmSdk.Anthropic, streaming, model, CallSiteReader.Setting(parameters?.Get("MaxTokens")), structuredOutputType: null, parts, AnthropicCacheMarkers.Of(parameters, parts), hasTools: parameters?.IsSet("Tools") == true, toolSources: CallSiteReader.ToolSources(parameters), conversation: parameters?.Get("Messages"), requestsVariedAnswers: RequestSampling.VariesAnswers(parameters, "Temperature"),
            carriesUnseenContent: parameters is null || parameters.IsShared || UnseenParameters.Any(parameters.IsSet),
            onlyProvider: origin?.Service == ServiceKind.FirstParty ? ModelProvider.Anthropic : ModelProvider.Unknown);
    }

    /// <summary><c>Model = …</c> in <c>MessageCreateParams</c>, and <c>client.AsIChatClient(model)</c>.</summary>
    public override ModelIdSink? ModelIdSink(IOperation operation, CallSiteReader reader)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Model" } target } assignment
                when IsMessageParams(target.Property.ContainingType):
                return new ModelIdSink(assignment.Value, ModelProvider.Anthropic, RequestService(assignment, reader));
            case IInvocationOperation invocation
                when (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod.OriginalDefinition) is { Name: "AsIChatClient" } definition
                && Is(definition.ContainingType, _chatClientAdapter):
                return Argument(invocation, "defaultModelId") is { } model && reader.Origins.Trace(invocation) is { } origin
                    ? new ModelIdSink(model, origin.Provider, origin.Service)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Who serves a request whose parameters are written straight into <c>client.Messages.Create(…)</c>: the
    /// client's service. Parameters built elsewhere may go to any client (Foundry, Bedrock): unknown.
    /// </summary>
    private ServiceKind RequestService(IOperation modelAssignment, CallSiteReader reader)
    {
        for (var current = modelAssignment.Parent; current is not null; current = current.Parent)
        {
            if (current is IObjectCreationOperation creation)
            {
                var call = creation.Parent is IConversionOperation conversion ? conversion.Parent : creation.Parent;
                if (call is IArgumentOperation { Parent: IInvocationOperation invocation }
                    && IsMessageService((invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).ContainingType)
                    && ReceiverOf(invocation) is { } receiver)
                {
                    return reader.Origins.Trace(receiver)?.Service ?? ServiceKind.Unknown;
                }

                return ServiceKind.Unknown;
            }
        }

        return ServiceKind.Unknown;
    }

    public override bool TryOriginOfCreation(IObjectCreationOperation creation, INamedTypeSymbol type, ClientOriginTracer tracer, int depth, out ClientOrigin? origin)
    {
        if (!Implements(type, _clientInterface))
        {
            origin = null;
            return false;
        }

        // Bedrock, Vertex and Foundry clients implement the same interface with other model ids.
        bool firstParty = type.Name is "AnthropicClient" or "AnthropicClientWithRawResponse" && NamespaceNames.Is(type.ContainingNamespace, "Anthropic");
        bool customBaseUrl = ObjectSettings.Trace(creation)?.IsSet("BaseUrl") == true
            || creation.Arguments.Any(a => ObjectSettings.Trace(a.Value) is { } options && (options.IsSet("BaseUrl") || options.IsSet("HttpClient")));
        origin = new ClientOrigin(ModelProvider.Anthropic, firstParty && !customBaseUrl ? ServiceKind.FirstParty : ServiceKind.CustomEndpoint, null, null, false);
        return true;
    }

    /// <summary>Microsoft.Extensions.AI's adapter: <c>client.AsIChatClient(model, maxOutputTokens)</c>.</summary>
    public override bool TryOriginOfInvocation(IInvocationOperation invocation, IMethodSymbol method, IOperation? receiver, ClientOriginTracer tracer, int depth, bool shared, out ClientOrigin? origin)
    {
        if (method.Name != "AsIChatClient" || !Is(method.ContainingType, _chatClientAdapter))
        {
            origin = null;
            return false;
        }

        var client = Argument(invocation, "client") ?? Argument(invocation, "betaService");
        var inner = client is null ? null : tracer.Trace(client, depth + 1, shared);
        // An injected client: its concrete type still says who serves it (Foundry, Bedrock and Vertex clients
        // implement the same interface).
        var service = inner?.Service ?? (Is(client?.Type, _client) ? ServiceKind.FirstParty : ServiceKind.Unknown);
        origin = new ClientOrigin(ModelProvider.Anthropic, service, Argument(invocation, "defaultModelId"), Argument(invocation, "defaultMaxOutputTokens"), shared);
        return true;
    }

    /// <summary><c>client.Messages</c> and <c>client.Beta.Messages</c>: the service belongs to the client.</summary>
    public override IOperation? ClientBehind(IOperation operation, out bool isShared)
    {
        isShared = false;
        return operation is IPropertyReferenceOperation { Instance: { } instance, Property.Name: "Messages" or "Beta" }
            && (Implements(instance.Type, _clientInterface) || IsService(instance.Type))
                ? instance
                : null;
    }

    /// <summary>An injected <c>AnthropicClient</c> is Anthropic's own API.</summary>
    public override ClientOrigin? OriginOfUntracedClient(IOperation operation) =>
        Is(operation.Type, _client) ? new ClientOrigin(ModelProvider.Anthropic, ServiceKind.FirstParty, null, null, isShared: true) : null;

    /// <summary><c>new UserMessageParam("…")</c>, <c>new UserMessageParam(blocks)</c>, <c>new TextBlockParam("…") { CacheControl = … }</c>.</summary>
    public override bool TryAddCreatedMessage(List<PromptPart> parts, IObjectCreationOperation creation, INamedTypeSymbol type, PromptPartCollector collector)
    {
        if (!NamespaceNames.IsOrIsIn(type.ContainingNamespace, "Anthropic.Models"))
        {
            return false;
        }

        var settings = ObjectSettings.Trace(creation);
        var content = settings?.Get("Content") ?? settings?.Get("Text") ?? (creation.Arguments.Length == 1 ? creation.Arguments[0].Value : null);
        var role = PromptPartCollector.RoleFromName(type.Name);
        if (content is not null && PromptPartCollector.ConstantText(content) is null && PromptPartCollector.IsCollection(content))
        {
            // A message made of content blocks: each block is a part, with its own cache marker.
            collector.AddMessages(parts, content, role == PromptRole.Unknown ? null : role);
            return true;
        }

        if (content is not null)
        {
            parts.Add(new PromptPart(role, content, PromptPartCollector.ConstantText(content), AnthropicCacheMarkers.Of(settings)));
        }
        else
        {
            // An image or document block: its tokens count in the prefix, but the code does not show how many.
            parts.Add(PromptPart.Opaque(creation, AnthropicCacheMarkers.Of(settings)));
        }

        return true;
    }

    /// <summary><c>StopReason.ToolUse</c>, <c>"tool_use"</c> and a content block's <c>TryPickToolUse</c>.</summary>
    private static bool IsToolSignal(IOperation operation) => operation switch
    {
        IFieldReferenceOperation { Field: { Name: "ToolUse" } field } => field.ContainingType?.Name == "StopReason",
        ILiteralOperation { ConstantValue.Value: "tool_use" } => true,
        IInvocationOperation { TargetMethod.Name: "TryPickToolUse" } => true,
        _ => false,
    };

    private static bool IsToolCallType(ITypeSymbol type) => type.Name == "ToolUseBlock";

    private bool IsMessageService(INamedTypeSymbol type) => Implements(type, _messageService) || Implements(type, _betaMessageService);

    private bool IsMessageParams(INamedTypeSymbol? type) => Is(type, _messageCreateParams) || Is(type, _betaMessageCreateParams);

    private static bool IsService(ITypeSymbol? type) =>
        NamespaceNames.IsOrIsIn(type?.ContainingNamespace, "Anthropic.Services");
}
