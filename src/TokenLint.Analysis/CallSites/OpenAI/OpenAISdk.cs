using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;
using static TokenLint.Analysis.CallSites.SdkSymbols;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// The OpenAI SDK: chat completions (<c>ChatClient.CompleteChat…</c>) and Responses
/// (<c>ResponsesClient.CreateResponse…</c>), its clients (<c>new ChatClient(model, key)</c>,
/// <c>openAI.GetChatClient(model)</c>, <c>GetResponsesClient()</c>, a custom <c>Endpoint</c>), its chat messages,
/// and Microsoft.Extensions.AI's adapter over it (<c>chatClient.AsIChatClient()</c>). Azure's client is an OpenAI
/// client: <see cref="AzureOpenAISdk"/> says when one is.
/// </summary>
internal sealed class OpenAISdk : SdkSurface
{
    /// <summary>Calls that read a message list they are given, rather than fill it (see <see cref="PromptPartCollector"/>).</summary>
    private static readonly string[] MessageReaders =
    {
        "CompleteChat", "CompleteChatAsync", "CompleteChatStreaming", "CompleteChatStreamingAsync",
        "CreateResponse", "CreateResponseAsync", "CreateResponseStreamingAsync",
    };

    /// <summary>What this SDK says by name alone (see <see cref="SdkNames"/>).</summary>
    public static readonly SdkNames Names = new(MessageReaders, IsToolSignal, IsToolCallType, new[] { "ChatFinishReason" }, new[] { "CreateResponseStreaming" });

    public override SdkNames ByName => Names;

    private readonly AzureOpenAISdk _azure;
    private readonly INamedTypeSymbol? _client;
    private readonly INamedTypeSymbol? _chatClient;
    private readonly INamedTypeSymbol? _chatMessage;
    private readonly INamedTypeSymbol? _responsesClient;
    private readonly INamedTypeSymbol? _chatClientAdapter;

    public OpenAISdk(Compilation compilation, AzureOpenAISdk azure)
    {
        _azure = azure;
        _client = compilation.GetTypeByMetadataName("OpenAI.OpenAIClient");
        _chatClient = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatClient");
        _chatMessage = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatMessage");
        _responsesClient = compilation.GetTypeByMetadataName("OpenAI.Responses.ResponsesClient");
        _chatClientAdapter = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.OpenAIClientExtensions");
    }

    public override bool IsReferenced => _chatClient is not null || _responsesClient is not null;

    public override ModelCallSite? Recognize(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader) => definition.Name switch
    {
        "CompleteChat" or "CompleteChatAsync" or "CompleteChatStreaming" or "CompleteChatStreamingAsync"
            when InheritsFrom(definition.ContainingType, _chatClient) => Chat(invocation, definition.Name.Contains("Streaming"), reader),
        "CreateResponse" or "CreateResponseAsync" or "CreateResponseStreaming" or "CreateResponseStreamingAsync"
            when InheritsFrom(definition.ContainingType, _responsesClient) => Responses(invocation, definition.Name.Contains("Streaming"), reader),
        _ => null,
    };

    private static ModelCallSite Chat(IInvocationOperation invocation, bool streaming, CallSiteReader reader)
    {
        var origin = reader.ReceiverOrigin(invocation);
        var optionsArgument = Argument(invocation, "options");
        var options = ObjectSettings.Trace(optionsArgument);
        var parts = new List<PromptPart>();
        var messages = Argument(invocation, "messages");
        reader.Prompts.AddMessages(parts, messages, request: invocation.Syntax);
        return new ModelCallSite(
            invocation,
            LlmSdk.OpenAIChat,
            streaming,
            reader.ModelFrom(origin?.ModelExpression, origin, ModelProvider.OpenAI, shared: origin?.IsShared == true),
            CallSiteReader.Setting(options?.Get("MaxOutputTokenCount")),
            structuredOutputType: null,
            parts,
            toolSources: CallSiteReader.ToolSources(options),
            conversation: messages,
            requestsVariedAnswers: RequestSampling.VariesAnswers(options, "Temperature"),
            carriesUnseenContent: HidesContent(optionsArgument, options, "ToolChoice"));
    }

    private static ModelCallSite Responses(IInvocationOperation invocation, bool streaming, CallSiteReader reader)
    {
        var origin = reader.ReceiverOrigin(invocation);
        var optionsArgument = Argument(invocation, "options");
        var options = ObjectSettings.Trace(optionsArgument);
        var modelExpression = Argument(invocation, "model")
            ?? options?.Get("Model")
            ?? (options?.Creation is { } creation ? Argument(creation, "model") : null);
        var parts = new List<PromptPart>();
        PromptPartCollector.AddText(parts, PromptRole.System, options?.Get("Instructions"));
        PromptPartCollector.AddText(parts, PromptRole.User, Argument(invocation, "userInputText"));
        return new ModelCallSite(
            invocation,
            LlmSdk.OpenAIResponses,
            streaming,
            reader.ModelFrom(modelExpression, origin, ModelProvider.OpenAI, shared: options?.IsShared == true),
            CallSiteReader.Setting(options?.Get("MaxOutputTokenCount")),
            structuredOutputType: null,
            parts,
            toolSources: CallSiteReader.ToolSources(options),
            requestsVariedAnswers: RequestSampling.VariesAnswers(options, "Temperature"),
            carriesUnseenContent: HidesContent(optionsArgument, options, "PreviousResponseId", "ConversationOptions", "ToolChoice", "InputItems")
                || HidesContent(Argument(invocation, "previousResponseId"), null));
    }

    /// <summary><c>new ChatClient(model, …)</c>, <c>openAI.GetChatClient(model)</c>, <c>chatClient.AsIChatClient(model)</c>,
    /// and the <c>model</c> argument of a Responses call.</summary>
    public override ModelIdSink? ModelIdSink(IOperation operation, CallSiteReader reader)
    {
        switch (operation)
        {
            case IObjectCreationOperation { Type: INamedTypeSymbol type } creation when Is(type, _chatClient):
                return reader.Origins.Trace(creation) is { ModelExpression: { } model } origin ? new ModelIdSink(model, origin.Provider, origin.Service) : null;
            case IInvocationOperation invocation:
                var definition = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod.OriginalDefinition;
                var containing = definition.ContainingType;
                string? modelParameter = definition.Name switch
                {
                    "GetChatClient" when InheritsFrom(containing, _client) => "model",
                    "AsIChatClient" when Is(containing, _chatClientAdapter) => "defaultModelId",
                    _ => null,
                };
                if (modelParameter is not null)
                {
                    return Argument(invocation, modelParameter) is { } modelId && reader.Origins.Trace(invocation) is { } client
                        ? new ModelIdSink(modelId, client.Provider, client.Service)
                        : null;
                }

                if (definition.Name is "CreateResponse" or "CreateResponseAsync" or "CreateResponseStreaming" or "CreateResponseStreamingAsync"
                    && InheritsFrom(containing, _responsesClient)
                    && Argument(invocation, "model") is { } responsesModel)
                {
                    return new ModelIdSink(responsesModel, ModelProvider.OpenAI, reader.ReceiverOrigin(invocation)?.Service ?? ServiceKind.Unknown);
                }

                return null;
            default:
                return null;
        }
    }

    public override bool TryOriginOfCreation(IObjectCreationOperation creation, INamedTypeSymbol type, ClientOriginTracer tracer, int depth, out ClientOrigin? origin)
    {
        if (Is(type, _chatClient))
        {
            origin = new ClientOrigin(ModelProvider.OpenAI, ServiceFromOptions(Argument(creation, "options")), Argument(creation, "model"), null, false, modelFixedByClient: true);
            return true;
        }

        if (Is(type, _client) || Is(type, _responsesClient))
        {
            origin = new ClientOrigin(ModelProvider.OpenAI, ServiceFromOptions(Argument(creation, "options")), null, null, false);
            return true;
        }

        origin = null;
        return false;
    }

    public override bool TryOriginOfInvocation(IInvocationOperation invocation, IMethodSymbol method, IOperation? receiver, ClientOriginTracer tracer, int depth, bool shared, out ClientOrigin? origin)
    {
        var containing = method.ContainingType;
        switch (method.Name)
        {
            case "GetChatClient" when InheritsFrom(containing, _client):
                var chatClientOf = receiver is null ? null : tracer.Trace(receiver, depth + 1, shared);
                origin = new ClientOrigin(ModelProvider.OpenAI, ServiceOf(receiver, chatClientOf), Argument(invocation, "model") ?? Argument(invocation, "deploymentName"), null, shared || chatClientOf?.IsShared == true, modelFixedByClient: true);
                return true;
            case "GetResponsesClient" when InheritsFrom(containing, _client):
                var responsesClientOf = receiver is null ? null : tracer.Trace(receiver, depth + 1, shared);
                origin = new ClientOrigin(ModelProvider.OpenAI, ServiceOf(receiver, responsesClientOf), null, null, shared);
                return true;
            case "AsIChatClient" when Is(containing, _chatClientAdapter):
                // Microsoft.Extensions.AI's adapter: the OpenAI client decides, with the adapter's default model.
                var adapted = Argument(invocation, "chatClient") ?? Argument(invocation, "responseClient");
                var inner = adapted is null ? null : tracer.Trace(adapted, depth + 1, shared);
                origin = inner?.WithModel(Argument(invocation, "defaultModelId")).Through(shared);
                return true;
            default:
                origin = null;
                return false;
        }
    }

    /// <summary>Who serves the clients an <c>OpenAIClient</c> hands out: Azure for an <c>AzureOpenAIClient</c>, else the client's own service.</summary>
    private ServiceKind ServiceOf(IOperation? receiver, ClientOrigin? client) =>
        _azure.IsAzureClient(receiver?.Type) ? ServiceKind.AzureDeployment : client?.Service ?? ServiceKind.Unknown;

    /// <summary>No options, or options without an <c>Endpoint</c>: OpenAI's own API.</summary>
    private static ServiceKind ServiceFromOptions(IOperation? options)
    {
        if (options is null || IsNullConstant(options))
        {
            return ServiceKind.FirstParty;
        }

        var settings = ObjectSettings.Trace(options);
        if (settings is null)
        {
            return ServiceKind.Unknown;
        }

        if (settings.IsSet("Endpoint"))
        {
            return ServiceKind.CustomEndpoint;
        }

        // Options kept in a field can be changed anywhere (an Endpoint set from configuration): not known.
        return settings.IsShared && ValueTracer.Unwrap(options) is not ILocalReferenceOperation ? ServiceKind.Unknown : ServiceKind.FirstParty;
    }

    /// <summary><c>new SystemChatMessage("…")</c>, <c>new UserChatMessage("…")</c>, <c>new ToolChatMessage(id, content)</c>…</summary>
    public override bool TryAddCreatedMessage(List<PromptPart> parts, IObjectCreationOperation creation, INamedTypeSymbol type, PromptPartCollector collector)
    {
        if (!InheritsFrom(type, _chatMessage) || creation.Arguments.Length == 0)
        {
            return false;
        }

        // new ToolChatMessage(toolCallId, content): the text is the "content" argument, not the first one.
        var content = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "content") ?? creation.Arguments[0];
        PromptPartCollector.AddText(parts, PromptPartCollector.RoleFromName(type.Name), content.Value);
        return true;
    }

    /// <summary><c>CompleteChat("…")</c>: a string converts to a user message.</summary>
    public override bool TryAddConvertedMessage(List<PromptPart> parts, IConversionOperation conversion)
    {
        if (!Is(conversion.OperatorMethod?.ContainingType, _chatMessage) || conversion.Operand.Type?.SpecialType != SpecialType.System_String)
        {
            return false;
        }

        PromptPartCollector.AddText(parts, PromptRole.User, conversion.Operand);
        return true;
    }

    /// <summary><c>ChatMessage.CreateUserMessage("…")</c> and the other static factories.</summary>
    public override bool TryAddFactoryMessage(List<PromptPart> parts, IInvocationOperation invocation)
    {
        if (invocation.TargetMethod is not { IsStatic: true } factory || !Is(factory.ContainingType, _chatMessage) || invocation.Arguments.Length == 0)
        {
            return false;
        }

        PromptPartCollector.AddText(parts, PromptPartCollector.RoleFromName(factory.Name), invocation.Arguments[0].Value);
        return true;
    }

    /// <summary><c>ChatFinishReason.ToolCalls</c> (an enum here), a completion's <c>ToolCalls</c>, and the wire values.</summary>
    private static bool IsToolSignal(IOperation operation) => operation switch
    {
        IFieldReferenceOperation { Field: { Name: "ToolCalls" or "FunctionCall" } field } => field.ContainingType?.Name == "ChatFinishReason",
        IPropertyReferenceOperation { Property: { Name: "ToolCalls", IsStatic: false } property } => property.ContainingType?.Name is "ChatCompletion" or "StreamingChatCompletionUpdate",
        ILiteralOperation { ConstantValue.Value: "tool_calls" or "requires_action" } => true,
        _ => false,
    };

    /// <summary>The property a chat tool's name is read from.</summary>
    public const string ToolNameProperty = "FunctionName";

    /// <summary>A chat completion's tool call, or a Responses function call item.</summary>
    private static bool IsToolCallType(ITypeSymbol type) => type.Name is "ChatToolCall" or "FunctionCallResponseItem";
}
