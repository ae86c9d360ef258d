using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;
using static TokenLint.Analysis.CallSites.SdkSymbols;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Semantic Kernel: <c>IChatCompletionService.GetChatMessageContent(s)Async</c> with a <c>ChatHistory</c> filled in the
/// same body, <c>kernel.InvokePromptAsync</c>, <c>PromptExecutionSettings</c>, and its OpenAI connector
/// (<c>AddOpenAIChatCompletion(modelId, …)</c>, <c>new OpenAIChatCompletionService(modelId, …)</c>: an
/// <c>endpoint</c> or an <c>HttpClient</c> with a base address points it at another server), reached through
/// <c>Kernel.CreateBuilder()…Build()</c> and <c>kernel.GetRequiredService&lt;…&gt;()</c>.
/// </summary>
internal sealed partial class SemanticKernelSdk : SdkSurface
{
    /// <summary>Calls that read a message list they are given, rather than fill it (see <see cref="PromptPartCollector"/>).</summary>
    private static readonly string[] MessageReaders = { "GetChatMessageContentAsync", "GetChatMessageContentsAsync", "GetStreamingChatMessageContentsAsync" };

    /// <summary>What this SDK says by name alone (see <see cref="SdkNames"/>).</summary>
    public static readonly SdkNames Names = new(MessageReaders, IsToolSignal,
        otherRequestMethods: new[] { "GetStreamingChatMessageContentAsync", "InvokePromptAsync", "InvokePromptStreamingAsync", "InvokeAsync", "InvokeStreamingAsync" },
        definitionMethods: new[] { "CreateFunctionFromPrompt", "CreateFromPrompt" });

    public override SdkNames ByName => Names;

    private readonly AzureOpenAISdk _azure;
    private readonly INamedTypeSymbol? _chatCompletionService;
    private readonly INamedTypeSymbol? _chatCompletionServiceExtensions;
    private readonly INamedTypeSymbol? _kernel;
    private readonly INamedTypeSymbol? _kernelExtensions;
    private readonly INamedTypeSymbol? _kernelBuilder;
    private readonly INamedTypeSymbol? _kernelArguments;
    private readonly INamedTypeSymbol? _kernelFunction;
    private readonly INamedTypeSymbol? _kernelFunctionFactory;
    private readonly INamedTypeSymbol? _promptExecutionSettings;
    private readonly INamedTypeSymbol? _chatHistory;
    private readonly INamedTypeSymbol? _chatMessageContent;
    private readonly INamedTypeSymbol? _openAIKernelBuilderExtensions;
    private readonly INamedTypeSymbol? _openAIServiceCollectionExtensions;
    private readonly INamedTypeSymbol? _openAIChatCompletionService;

    public SemanticKernelSdk(Compilation compilation, AzureOpenAISdk azure)
    {
        _azure = azure;
        _chatCompletionService = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService");
        _chatCompletionServiceExtensions = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.ChatCompletion.ChatCompletionServiceExtensions");
        _kernel = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.Kernel");
        _kernelExtensions = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.KernelExtensions");
        _kernelBuilder = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.IKernelBuilder");
        _kernelArguments = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.KernelArguments");
        _kernelFunction = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.KernelFunction");
        _kernelFunctionFactory = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.KernelFunctionFactory");
        _promptExecutionSettings = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.PromptExecutionSettings");
        _chatHistory = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.ChatCompletion.ChatHistory");
        _chatMessageContent = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.ChatMessageContent");
        _openAIKernelBuilderExtensions = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.OpenAIKernelBuilderExtensions");
        _openAIServiceCollectionExtensions = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.OpenAIServiceCollectionExtensions");
        _openAIChatCompletionService = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.Connectors.OpenAI.OpenAIChatCompletionService");
    }

    public override bool IsReferenced => _chatCompletionService is not null;

    public override ModelCallSite? Recognize(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader) => definition.Name switch
    {
        "GetChatMessageContentAsync" or "GetChatMessageContentsAsync" or "GetStreamingChatMessageContentsAsync" or "GetStreamingChatMessageContentAsync"
            when IsChatCompletionServiceMethod(definition) => Chat(invocation, definition.Name.Contains("Streaming"), reader),
        "InvokePromptAsync" or "InvokePromptStreamingAsync" when Is(definition.ContainingType, _kernelExtensions)
            => PromptSite(invocation, definition.Name.Contains("Streaming"), invocation, Argument(invocation, "arguments"), reader.ReceiverOrigin(invocation), reader),
        "InvokeAsync" or "InvokeStreamingAsync" when Is(definition.ContainingType, _kernel) && HasParameter(definition, "function")
            => FunctionInvocation(invocation, Argument(invocation, "function"), invocation.Instance, definition.Name.Contains("Streaming"), reader),
        "InvokeAsync" or "InvokeStreamingAsync" when Is(definition.ContainingType, _kernelFunction)
            => FunctionInvocation(invocation, invocation.Instance, Argument(invocation, "kernel"), definition.Name.Contains("Streaming"), reader),
        _ => null,
    };

    private ModelCallSite Chat(IInvocationOperation invocation, bool streaming, CallSiteReader reader)
    {
        var origin = reader.ReceiverOrigin(invocation);
        var settingsArgument = Argument(invocation, "executionSettings");
        var settings = ObjectSettings.Trace(settingsArgument);
        var parts = new List<PromptPart>();
        if (Argument(invocation, "prompt") is { } prompt)
        {
            PromptPartCollector.AddText(parts, PromptRole.User, prompt);
        }

        var history = Argument(invocation, "chatHistory");
        AddChatHistory(parts, history);
        bool unseen = HidesContent(settingsArgument, settings, ToolChoiceSettings) || HidesContent(Argument(invocation, "kernel"), null);
        return Site(invocation, streaming, origin, settings, parts, reader, history, unseen);
    }

    /// <summary>Execution settings that let the model call the kernel's functions: tools the code does not list.</summary>
    private static readonly string[] ToolChoiceSettings = { "FunctionChoiceBehavior", "ToolCallBehavior" };

    private static ModelCallSite Site(IInvocationOperation invocation, bool streaming, ClientOrigin? origin, ObjectSettings? settings, List<PromptPart> parts, CallSiteReader reader, IOperation? history = null, bool carriesUnseenContent = false)
    {
        return new ModelCallSite(
            invocation, LlmSdk.SemanticKernel, streaming, Model(origin, settingsExpression: null, settings, reader), CallSiteReader.Setting(settings?.Get("MaxTokens")), structuredOutputType: null, parts,
            conversation: history,
            requestsVariedAnswers: RequestSampling.VariesAnswers(settings, "Temperature"),
            carriesUnseenContent: carriesUnseenContent);
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
            && Is(creation.Type, _chatHistory)
            && Argument(creation, "systemMessage") is { } systemMessage)
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

    /// <summary><c>new OpenAIChatCompletionService(modelId, …)</c> and <c>AddOpenAIChatCompletion(modelId, …)</c>.</summary>
    public override ModelIdSink? ModelIdSink(IOperation operation, CallSiteReader reader)
    {
        switch (operation)
        {
            case IObjectCreationOperation { Type: INamedTypeSymbol type } creation when Is(type, _openAIChatCompletionService):
                return reader.Origins.Trace(creation) is { ModelExpression: { } model } origin ? new ModelIdSink(model, origin.Provider, origin.Service) : null;
            case IInvocationOperation invocation
                when (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod.OriginalDefinition) is { Name: "AddOpenAIChatCompletion" } definition
                && IsOpenAIRegistration(definition.ContainingType):
                return Argument(invocation, "modelId") is { } modelId && reader.Origins.Trace(invocation) is { } registered
                    ? new ModelIdSink(modelId, registered.Provider, registered.Service)
                    : null;
            default:
                return null;
        }
    }

    public override bool TryOriginOfCreation(IObjectCreationOperation creation, INamedTypeSymbol type, ClientOriginTracer tracer, int depth, out ClientOrigin? origin)
    {
        origin = null;
        if (!Is(type, _openAIChatCompletionService))
        {
            return false;
        }

        var service = ConnectorService(creation.Constructor, Argument(creation, "openAIClient"), Argument(creation, "httpClient"), tracer, depth);
        origin = new ClientOrigin(ModelProvider.OpenAI, service, Argument(creation, "modelId"), null, false);
        return true;
    }

    public override bool TryOriginOfInvocation(IInvocationOperation invocation, IMethodSymbol method, IOperation? receiver, ClientOriginTracer tracer, int depth, bool shared, out ClientOrigin? origin)
    {
        origin = null;
        switch (method.Name)
        {
            case "Build" when Implements(method.ContainingType, _kernelBuilder)
                || (method.IsExtensionMethod && method.Parameters.Length > 0 && IsKernelBuilder(method.Parameters[0].Type)):
                origin = receiver is null ? null : tracer.Trace(receiver, depth + 1, shared);
                return true;
            case "GetRequiredService" or "GetService" or "GetRequiredKeyedService" when receiver is not null && Is(receiver.Type, _kernel):
                origin = tracer.Trace(receiver, depth + 1, shared);
                return true;
            case "AddOpenAIChatCompletion" when IsOpenAIRegistration(method.ContainingType):
                var service = ConnectorService(method, Argument(invocation, "openAIClient"), Argument(invocation, "httpClient"), tracer, depth);
                origin = new ClientOrigin(ModelProvider.OpenAI, service, Argument(invocation, "modelId"), null, shared);
                return true;
            case "AddAzureOpenAIChatCompletion":
                origin = new ClientOrigin(ModelProvider.OpenAI, ServiceKind.AzureDeployment, null, null, shared);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>var builder = Kernel.CreateBuilder(); builder.AddOpenAIChatCompletion(...);</c>: the one chat-completion
    /// registration made on the builder in its body. Two registrations make the model unknown.
    /// </summary>
    public override IOperation? ClientBehind(IOperation operation, out bool isShared)
    {
        isShared = true;
        if (operation is not ILocalReferenceOperation builder || !IsKernelBuilder(builder.Type))
        {
            return null;
        }

        var semanticModel = builder.SemanticModel;
        if (semanticModel is null
            || builder.Local.DeclaringSyntaxReferences.Length != 1
            || ValueTracer.EnclosingBody(builder.Local.DeclaringSyntaxReferences[0].GetSyntax()) is not { } body)
        {
            return null;
        }

        IOperation? registration = null;
        foreach (var identifier in ValueTracer.ReferencesTo(builder.Local, body, semanticModel))
        {
            var access = identifier.Parent as MemberAccessExpressionSyntax;
            if (access?.Expression == identifier
                && access.Parent is InvocationExpressionSyntax call
                && access.Name.Identifier.ValueText.EndsWith("ChatCompletion", System.StringComparison.Ordinal)
                && access.Name.Identifier.ValueText.StartsWith("Add", System.StringComparison.Ordinal))
            {
                if (registration is not null)
                {
                    return null;
                }

                registration = semanticModel.GetOperation(call);
            }
        }

        return registration;
    }

    /// <summary>
    /// The OpenAI connector: an <c>endpoint</c>, or an <c>HttpClient</c> with a base address, points it at another
    /// server; an <c>OpenAIClient</c> argument decides for itself (an <c>AzureOpenAIClient</c> is Azure).
    /// </summary>
    private ServiceKind ConnectorService(IMethodSymbol? method, IOperation? openAIClient, IOperation? httpClient, ClientOriginTracer tracer, int depth)
    {
        if (HasParameter(method, "endpoint"))
        {
            return ServiceKind.CustomEndpoint;
        }

        if (httpClient is not null && !IsNullConstant(httpClient))
        {
            return ObjectSettings.Trace(httpClient)?.IsSet("BaseAddress") == true ? ServiceKind.CustomEndpoint : ServiceKind.Unknown;
        }

        if (openAIClient is not null)
        {
            return _azure.IsAzureClient(openAIClient.Type)
                ? ServiceKind.AzureDeployment
                : tracer.Trace(openAIClient, depth + 1, false)?.Service ?? ServiceKind.Unknown;
        }

        return ServiceKind.FirstParty;
    }

    /// <summary><c>chatHistory[0].Content = …</c>: the text of a chat message.</summary>
    public override bool IsMessageText(IPropertySymbol property) =>
        property is { Name: "Content", SetMethod: not null } && InheritsFrom(property.ContainingType, _chatMessageContent);

    private bool IsOpenAIRegistration(INamedTypeSymbol? type) => Is(type, _openAIKernelBuilderExtensions) || Is(type, _openAIServiceCollectionExtensions);

    private bool IsKernelBuilder(ITypeSymbol? type) => Is(type, _kernelBuilder) || Implements(type, _kernelBuilder);

    private bool IsChatCompletionServiceMethod(IMethodSymbol method) =>
        Implements(method.ContainingType, _chatCompletionService)
        || (Is(method.ContainingType, _chatCompletionServiceExtensions) && method.IsExtensionMethod);

    /// <summary><c>FunctionCallContent.GetFunctionCalls(…)</c> and <c>FunctionCallContentBuilder.Build()</c>.</summary>
    private static bool IsToolSignal(IOperation operation) => operation switch
    {
        IInvocationOperation { TargetMethod: { Name: "GetFunctionCalls", IsStatic: true } method } => method.ContainingType?.Name == "FunctionCallContent",
        IInvocationOperation { TargetMethod: { Name: "Build" } build } => build.ContainingType?.Name == "FunctionCallContentBuilder",
        _ => false,
    };
}
