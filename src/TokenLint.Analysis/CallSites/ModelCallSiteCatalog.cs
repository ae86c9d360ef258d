using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// The one place that knows each supported SDK's surface: which invocations send a request to a model, and where
/// that request's model id, output limit, structured-output type and prompt text come from. Rules ask this
/// catalog; they never name SDK types themselves. Create one per compilation.
/// </summary>
public sealed class ModelCallSiteCatalog
{
    private readonly SdkTypes _types;
    private readonly ModelCatalog _models;
    private readonly ClientOriginTracer _origins;
    private readonly PromptPartCollector _prompts;

    public ModelCallSiteCatalog(SdkTypes types, ModelCatalog models)
    {
        _types = types;
        _models = models;
        _origins = new ClientOriginTracer(types);
        _prompts = new PromptPartCollector(types);
    }

    public SdkTypes Types => _types;

    public ModelCatalog Models => _models;

    /// <summary>Recognises an invocation that sends a request to a model, streaming or not.</summary>
    public bool TryGetCallSite(IInvocationOperation invocation, out ModelCallSite callSite)
    {
        // Several rules ask about the same invocation: recognise and trace it once.
        callSite = _callSites.GetOrAdd(invocation.Syntax, _ => Recognize(invocation))!;
        return callSite is not null;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<SyntaxNode, ModelCallSite?> _callSites = new();

    private ModelCallSite? Recognize(IInvocationOperation invocation) => TryRecognize(invocation, out var callSite) ? callSite : null;

    private bool TryRecognize(IInvocationOperation invocation, out ModelCallSite callSite)
    {
        callSite = null!;
        var method = invocation.TargetMethod;
        var definition = method.ReducedFrom ?? method.OriginalDefinition;
        var containing = definition.ContainingType;
        if (containing is null)
        {
            return false;
        }

        switch (definition.Name)
        {
            case "CompleteChat" or "CompleteChatAsync" or "CompleteChatStreaming" or "CompleteChatStreamingAsync"
                when ClientOriginTracer.InheritsFrom(containing, _types.OpenAIChatClient):
                callSite = OpenAIChat(invocation, definition.Name.Contains("Streaming"));
                return true;
            case "CreateResponse" or "CreateResponseAsync" or "CreateResponseStreaming" or "CreateResponseStreamingAsync"
                when ClientOriginTracer.InheritsFrom(containing, _types.OpenAIResponsesClient):
                callSite = OpenAIResponses(invocation, definition.Name.Contains("Streaming"));
                return true;
            case "Create" or "CreateStreaming" when IsAnthropicMessageService(containing):
                callSite = Anthropic(invocation, definition.Name == "CreateStreaming");
                return true;
            case "GetResponseAsync" or "GetStreamingResponseAsync" when IsChatClientMethod(definition):
                callSite = ExtensionsAI(invocation, definition);
                return true;
            case "GetChatMessageContentAsync" or "GetChatMessageContentsAsync" or "GetStreamingChatMessageContentsAsync" or "GetStreamingChatMessageContentAsync"
                when IsChatCompletionServiceMethod(definition):
                callSite = SemanticKernelChat(invocation, definition.Name.Contains("Streaming"));
                return true;
            case "InvokePromptAsync" or "InvokePromptStreamingAsync" when ClientOriginTracer.Is(containing, _types.KernelExtensions):
                callSite = SemanticKernelPrompt(invocation, definition.Name.Contains("Streaming"));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Recognises an operation that hands a model id to a client or request: a constructor or factory argument,
    /// or a <c>Model</c> property assignment. TL1002 checks these wherever they are, called or not.
    /// </summary>
    public bool TryGetModelIdSink(IOperation operation, out ModelIdSink sink)
    {
        sink = null!;
        switch (operation)
        {
            case IObjectCreationOperation { Type: INamedTypeSymbol type } creation:
                if (ClientOriginTracer.Is(type, _types.OpenAIChatClient) || ClientOriginTracer.Is(type, _types.SemanticKernelOpenAIChatCompletionService))
                {
                    var origin = _origins.Trace(creation);
                    if (origin?.ModelExpression is { } model)
                    {
                        sink = new ModelIdSink(model, origin.Provider, origin.Service);
                        return true;
                    }
                }

                return false;

            case IInvocationOperation invocation:
                return TryGetInvocationSink(invocation, out sink);

            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Model" } target } assignment
                when IsAnthropicParams(target.Property.ContainingType):
                sink = new ModelIdSink(assignment.Value, ModelProvider.Anthropic, AnthropicRequestService(assignment));
                return true;

            default:
                return false;
        }
    }

    /// <summary>
    /// Who serves a request whose parameters are written straight into <c>client.Messages.Create(…)</c>: the
    /// client's service. Parameters built elsewhere may go to any client (Foundry, Bedrock): unknown.
    /// </summary>
    private ServiceKind AnthropicRequestService(IOperation modelAssignment)
    {
        for (var current = modelAssignment.Parent; current is not null; current = current.Parent)
        {
            if (current is IObjectCreationOperation creation)
            {
                var call = creation.Parent is IConversionOperation conversion ? conversion.Parent : creation.Parent;
                if (call is IArgumentOperation { Parent: IInvocationOperation invocation }
                    && IsAnthropicMessageService((invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).ContainingType)
                    && ClientOriginTracer.ReceiverOf(invocation) is { } receiver)
                {
                    return _origins.Trace(receiver)?.Service ?? ServiceKind.Unknown;
                }

                return ServiceKind.Unknown;
            }
        }

        return ServiceKind.Unknown;
    }

    /// <summary>Resolves a sink's expression to a model reference (literal, constant, enum member, traced value).</summary>
    public ModelReference? ResolveModel(ModelIdSink sink) =>
        ModelIdResolver.Resolve(sink.ModelExpression, _models, _types, sink.Provider, sink.Service, shared: false);

    private bool TryGetInvocationSink(IInvocationOperation invocation, out ModelIdSink sink)
    {
        sink = null!;
        var definition = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod.OriginalDefinition;
        var containing = definition.ContainingType;
        // The argument that names the model, per factory; the client's provider and service come from its origin.
        string? modelParameter = definition.Name switch
        {
            "GetChatClient" when ClientOriginTracer.InheritsFrom(containing, _types.OpenAIClient) => "model",
            "AsIChatClient" when ClientOriginTracer.Is(containing, _types.AnthropicChatClientExtensions)
                || ClientOriginTracer.Is(containing, _types.OpenAIChatClientExtensions) => "defaultModelId",
            "AddOpenAIChatCompletion" when ClientOriginTracer.Is(containing, _types.OpenAIKernelBuilderExtensions)
                || ClientOriginTracer.Is(containing, _types.OpenAIServiceCollectionExtensions) => "modelId",
            _ => null,
        };

        if (modelParameter is not null)
        {
            if (ClientOriginTracer.Argument(invocation, modelParameter) is { } model && _origins.Trace(invocation) is { } origin)
            {
                sink = new ModelIdSink(model, origin.Provider, origin.Service);
                return true;
            }

            return false;
        }

        if (definition.Name is "CreateResponse" or "CreateResponseAsync" or "CreateResponseStreaming" or "CreateResponseStreamingAsync"
            && ClientOriginTracer.InheritsFrom(containing, _types.OpenAIResponsesClient)
            && ClientOriginTracer.Argument(invocation, "model") is { } responsesModel)
        {
            var origin = ClientOriginTracer.ReceiverOf(invocation) is { } receiver ? _origins.Trace(receiver) : null;
            sink = new ModelIdSink(responsesModel, ModelProvider.OpenAI, origin?.Service ?? ServiceKind.Unknown);
            return true;
        }

        return false;
    }

    private ModelCallSite OpenAIChat(IInvocationOperation invocation, bool streaming)
    {
        var origin = ReceiverOrigin(invocation);
        var options = ObjectSettings.Trace(ClientOriginTracer.Argument(invocation, "options"));
        var parts = new List<PromptPart>();
        _prompts.AddMessages(parts, ClientOriginTracer.Argument(invocation, "messages"), request: invocation.Syntax);
        return new ModelCallSite(
            invocation,
            LlmSdk.OpenAIChat,
            streaming,
            ModelFrom(origin?.ModelExpression, origin, ModelProvider.OpenAI, shared: origin?.IsShared == true),
            Setting(options?.Get("MaxOutputTokenCount")),
            structuredOutputType: null,
            parts,
            toolSources: ToolSources(options));
    }

    private ModelCallSite OpenAIResponses(IInvocationOperation invocation, bool streaming)
    {
        var origin = ReceiverOrigin(invocation);
        var options = ObjectSettings.Trace(ClientOriginTracer.Argument(invocation, "options"));
        var modelExpression = ClientOriginTracer.Argument(invocation, "model")
            ?? options?.Get("Model")
            ?? (options?.Creation is { } creation ? ClientOriginTracer.Argument(creation, "model") : null);
        var parts = new List<PromptPart>();
        PromptPartCollector.AddText(parts, PromptRole.System, options?.Get("Instructions"));
        PromptPartCollector.AddText(parts, PromptRole.User, ClientOriginTracer.Argument(invocation, "userInputText"));
        return new ModelCallSite(
            invocation,
            LlmSdk.OpenAIResponses,
            streaming,
            ModelFrom(modelExpression, origin, ModelProvider.OpenAI, shared: options?.IsShared == true),
            Setting(options?.Get("MaxOutputTokenCount")),
            structuredOutputType: null,
            parts,
            toolSources: ToolSources(options));
    }

    private ModelCallSite Anthropic(IInvocationOperation invocation, bool streaming)
    {
        var origin = ReceiverOrigin(invocation);
        var parameters = ObjectSettings.Trace(ClientOriginTracer.Argument(invocation, "parameters"));
        var parts = new List<PromptPart>();
        if (parameters?.Get("System") is { } system)
        {
            var systemText = ValueTracer.Unwrap(system);
            if (PromptPartCollector.ConstantText(systemText) is not null)
            {
                PromptPartCollector.AddText(parts, PromptRole.System, systemText);
            }
            else
            {
                _prompts.AddMessages(parts, systemText, PromptRole.System);
            }
        }

        _prompts.AddMessages(parts, parameters?.Get("Messages"), request: invocation.Syntax);
        var model = ModelIdResolver.Resolve(parameters?.Get("Model"), _models, _types, ModelProvider.Anthropic, origin?.Service ?? ServiceKind.Unknown, parameters?.IsShared == true);
        return new ModelCallSite(invocation, LlmSdk.Anthropic, streaming, model, Setting(parameters?.Get("MaxTokens")), structuredOutputType: null, parts, AnthropicCacheMarkers(parameters, parts), hasTools: parameters?.IsSet("Tools") == true, toolSources: ToolSources(parameters));
    }

    /// <summary>Breakpoints in the order Anthropic reads them: tools, system, messages, then the request-level one.</summary>
    private List<CacheMarker> AnthropicCacheMarkers(ObjectSettings? parameters, List<PromptPart> parts)
    {
        var markers = new List<CacheMarker>();
        if (parameters?.Get("Tools") is { } tools)
        {
            foreach (var tool in PromptPartCollector.Elements(tools))
            {
                if (PromptPartCollector.CacheMarkerOf(ObjectSettings.Trace(tool)) is { } marker)
                {
                    markers.Add(new CacheMarker(marker.Syntax, marker.Ttl, CacheMarker.OnTools, marker.IsConditional));
                }
            }
        }

        for (int index = 0; index < parts.Count; index++)
        {
            if (parts[index].CacheMarker is { } marker)
            {
                markers.Add(new CacheMarker(marker.Syntax, marker.Ttl, index, marker.IsConditional));
            }
        }

        if (PromptPartCollector.CacheMarkerOf(parameters) is { } automatic)
        {
            markers.Add(new CacheMarker(automatic.Syntax, automatic.Ttl, CacheMarker.Automatic, automatic.IsConditional));
        }

        return markers;
    }

    private ModelCallSite ExtensionsAI(IInvocationOperation invocation, IMethodSymbol definition)
    {
        var origin = ReceiverOrigin(invocation);
        var options = ObjectSettings.Trace(ClientOriginTracer.Argument(invocation, "options"));
        var parts = new List<PromptPart>();
        var messages = ClientOriginTracer.Argument(invocation, "messages") ?? ClientOriginTracer.Argument(invocation, "chatMessages");
        if (messages is not null)
        {
            _prompts.AddMessages(parts, messages, request: invocation.Syntax);
        }
        else if (ClientOriginTracer.Argument(invocation, "chatMessage") is { } single)
        {
            if (single.Type?.SpecialType == SpecialType.System_String)
            {
                PromptPartCollector.AddText(parts, PromptRole.User, single);
            }
            else
            {
                _prompts.AddMessages(parts, single);
            }
        }

        // The per-call ModelId wins over the client's default model, except on clients bound to one model (the
        // OpenAI ChatClient adapter never reads it).
        var model = options?.Get("ModelId") is { } modelId && origin?.ModelFixedByClient != true
            ? ModelIdResolver.Resolve(modelId, _models, _types, origin?.Provider ?? ModelProvider.Unknown, origin?.Service ?? ServiceKind.Unknown, options.IsShared)
            : ModelFrom(origin?.ModelExpression, origin, origin?.Provider ?? ModelProvider.Unknown, shared: origin?.IsShared == true);
        var maxOutput = Setting(options?.Get("MaxOutputTokens")) ?? Setting(origin?.DefaultMaxOutputTokens);
        var structured = invocation.TargetMethod.IsGenericMethod && definition.ContainingType is { } type
            && ClientOriginTracer.Is(type, _types.ChatClientStructuredOutputExtensions)
            ? invocation.TargetMethod.TypeArguments[0]
            : null;
        return new ModelCallSite(invocation, LlmSdk.MicrosoftExtensionsAI, definition.Name == "GetStreamingResponseAsync", model, maxOutput, structured, parts, toolSources: ToolSources(options));
    }

    private ModelCallSite SemanticKernelChat(IInvocationOperation invocation, bool streaming)
    {
        var origin = ReceiverOrigin(invocation);
        var settings = ObjectSettings.Trace(ClientOriginTracer.Argument(invocation, "executionSettings"));
        var parts = new List<PromptPart>();
        if (ClientOriginTracer.Argument(invocation, "prompt") is { } prompt)
        {
            PromptPartCollector.AddText(parts, PromptRole.User, prompt);
        }

        AddChatHistory(parts, ClientOriginTracer.Argument(invocation, "chatHistory"));
        return SemanticKernelSite(invocation, streaming, origin, settings, parts);
    }

    private ModelCallSite SemanticKernelPrompt(IInvocationOperation invocation, bool streaming)
    {
        var origin = ReceiverOrigin(invocation);
        ObjectSettings? settings = null;
        if (ObjectSettings.Trace(ClientOriginTracer.Argument(invocation, "arguments")) is { } arguments
            && ClientOriginTracer.Is(arguments.Creation.Type, _types.KernelArguments)
            && arguments.Creation.Arguments.Length > 0)
        {
            settings = ObjectSettings.Trace(arguments.Creation.Arguments[0].Value);
        }

        var parts = new List<PromptPart>();
        PromptPartCollector.AddText(parts, PromptRole.User, ClientOriginTracer.Argument(invocation, "promptTemplate"));
        return SemanticKernelSite(invocation, streaming, origin, settings, parts);
    }

    private ModelCallSite SemanticKernelSite(IInvocationOperation invocation, bool streaming, ClientOrigin? origin, ObjectSettings? settings, List<PromptPart> parts)
    {
        var model = settings?.Get("ModelId") is { } modelId
            ? ModelIdResolver.Resolve(modelId, _models, _types, origin?.Provider ?? ModelProvider.Unknown, origin?.Service ?? ServiceKind.Unknown, settings.IsShared)
            : ModelFrom(origin?.ModelExpression, origin, origin?.Provider ?? ModelProvider.Unknown, shared: origin?.IsShared == true);
        return new ModelCallSite(invocation, LlmSdk.SemanticKernel, streaming, model, Setting(settings?.Get("MaxTokens")), structuredOutputType: null, parts);
    }

    /// <summary><c>new ChatHistory("system")</c> plus <c>AddSystemMessage</c>/<c>AddUserMessage</c> calls in the same body.</summary>
    private void AddChatHistory(List<PromptPart> parts, IOperation? history)
    {
        if (history is null || ValueTracer.Unwrap(history) is not ILocalReferenceOperation local)
        {
            return;
        }

        if (ValueTracer.TryGetSingleValue(local, out var value, out _)
            && ValueTracer.Unwrap(value) is IObjectCreationOperation creation
            && ClientOriginTracer.Is(creation.Type, _types.ChatHistory)
            && ClientOriginTracer.Argument(creation, "systemMessage") is { } systemMessage)
        {
            PromptPartCollector.AddText(parts, PromptRole.System, systemMessage);
        }

        var semanticModel = local.SemanticModel;
        if (semanticModel is null
            || local.Local.DeclaringSyntaxReferences.Length != 1
            || ValueTracer.EnclosingBody(local.Local.DeclaringSyntaxReferences[0].GetSyntax()) is not { } body)
        {
            return;
        }

        foreach (var identifier in ValueTracer.ReferencesTo(local.Local, body, semanticModel))
        {
            if (identifier.Parent is MemberAccessExpressionSyntax access
                && access.Expression == identifier
                && access.Parent is InvocationExpressionSyntax call
                && access.Name.Identifier.ValueText is "AddSystemMessage" or "AddDeveloperMessage" or "AddUserMessage" or "AddAssistantMessage"
                && semanticModel.GetOperation(call) is IInvocationOperation { Arguments.Length: > 0 } add)
            {
                var text = add.TargetMethod.IsExtensionMethod && add.Arguments.Length > 1 ? add.Arguments[1].Value : add.Arguments[0].Value;
                PromptPartCollector.AddText(parts, PromptPartCollector.RoleFromName(access.Name.Identifier.ValueText), text);
            }
            else if ((PromptPartCollector.AddsUnknownMessages(identifier) || identifier.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add" })
                && semanticModel.GetOperation(identifier) is { } unknown)
            {
                // history.Add(message), history.AddMessage(role, text), or the history handed elsewhere.
                parts.Add(PromptPart.Opaque(unknown));
            }
        }
    }

    /// <summary>
    /// The expressions a request's tools come from: <c>Tools = source</c>, <c>Tools.AddRange(source)</c>, and the
    /// collection of a <c>foreach</c> that calls <c>Tools.Add</c>. A single <c>Add</c> outside a loop adds in code
    /// order, which is stable.
    /// </summary>
    private static List<IOperation> ToolSources(ObjectSettings? settings)
    {
        var sources = new List<IOperation>();
        if (settings is null)
        {
            return sources;
        }

        if (settings.Get("Tools") is { } assigned)
        {
            sources.Add(assigned);
        }

        foreach (var add in settings.AddsTo("Tools"))
        {
            if (add.TargetMethod.Name == "AddRange" && add.Arguments.Length > 0)
            {
                sources.Add(add.Arguments[0].Value);
            }
            else if (add.Syntax.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax>() is { } loop
                && add.SemanticModel?.GetOperation(loop.Expression) is { } enumerated)
            {
                sources.Add(enumerated);
            }
        }

        return sources;
    }

    private ClientOrigin? ReceiverOrigin(IInvocationOperation invocation) =>
        ClientOriginTracer.ReceiverOf(invocation) is { } receiver ? _origins.Trace(receiver) : null;

    private ModelReference? ModelFrom(IOperation? expression, ClientOrigin? origin, ModelProvider provider, bool shared) =>
        ModelIdResolver.Resolve(expression, _models, _types, provider, origin?.Service ?? ServiceKind.Unknown, shared);

    private static RequestSetting? Setting(IOperation? value)
    {
        if (value is null)
        {
            return null;
        }

        var operation = ValueTracer.Unwrap(value);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            switch (operation.ConstantValue)
            {
                case { HasValue: true, Value: int i }:
                    return new RequestSetting(i, value.Syntax);
                case { HasValue: true, Value: long l }:
                    return new RequestSetting(l, value.Syntax);
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var next, out _))
            {
                return null;
            }

            operation = ValueTracer.Unwrap(next);
        }

        return null;
    }

    private bool IsAnthropicMessageService(INamedTypeSymbol type) =>
        ClientOriginTracer.Implements(type, _types.AnthropicMessageService) || ClientOriginTracer.Implements(type, _types.AnthropicBetaMessageService);

    private bool IsAnthropicParams(INamedTypeSymbol? type) =>
        ClientOriginTracer.Is(type, _types.AnthropicMessageCreateParams) || ClientOriginTracer.Is(type, _types.AnthropicBetaMessageCreateParams);

    private bool IsChatClientMethod(IMethodSymbol method)
    {
        var containing = method.ContainingType;
        if (ClientOriginTracer.Implements(containing, _types.ChatClient))
        {
            return true;
        }

        return method.IsExtensionMethod && method.Parameters.Length > 0 && ClientOriginTracer.Is(method.Parameters[0].Type, _types.ChatClient)
            && (ClientOriginTracer.Is(containing, _types.ChatClientExtensions) || ClientOriginTracer.Is(containing, _types.ChatClientStructuredOutputExtensions));
    }

    private bool IsChatCompletionServiceMethod(IMethodSymbol method) =>
        ClientOriginTracer.Implements(method.ContainingType, _types.ChatCompletionService)
        || (ClientOriginTracer.Is(method.ContainingType, _types.ChatCompletionServiceExtensions) && method.IsExtensionMethod);
}

/// <summary>An expression that hands a model id to a client or request, and who serves that client.</summary>
public sealed class ModelIdSink
{
    public ModelIdSink(IOperation modelExpression, ModelProvider provider, ServiceKind service)
    {
        ModelExpression = modelExpression;
        Provider = provider;
        Service = service;
    }

    public IOperation ModelExpression { get; }

    public ModelProvider Provider { get; }

    public ServiceKind Service { get; }
}
