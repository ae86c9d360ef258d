using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;
using static TokenLint.Analysis.CallSites.SdkSymbols;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Microsoft.Extensions.AI: <c>IChatClient.GetResponseAsync</c> and its extensions (structured output included),
/// <c>ChatOptions</c>, <c>new ChatMessage(ChatRole.System, "…")</c>, and the pipelines that wrap another client
/// (<c>new ChatClientBuilder(inner)…Build()</c>, <c>inner.AsBuilder()</c>, delegating clients): the model and the
/// service are the inner client's, which the other SDKs' adapters (<c>AsIChatClient</c>) say.
/// </summary>
internal sealed class ExtensionsAISdk : SdkSurface
{
    /// <summary>Calls that read a message list they are given, rather than fill it (see <see cref="PromptPartCollector"/>).</summary>
    private static readonly string[] MessageReaders = { "GetResponseAsync", "GetStreamingResponseAsync" };

    /// <summary>What this SDK says by name alone (see <see cref="SdkNames"/>).</summary>
    public static readonly SdkNames Names = new(MessageReaders, IsToolSignal, IsToolCallType, new[] { "ChatFinishReason" });

    public override SdkNames ByName => Names;

    private readonly INamedTypeSymbol? _chatClient;
    private readonly INamedTypeSymbol? _chatClientExtensions;
    private readonly INamedTypeSymbol? _structuredOutputExtensions;
    private readonly INamedTypeSymbol? _chatMessage;
    private readonly INamedTypeSymbol? _chatClientBuilder;

    public ExtensionsAISdk(Compilation compilation)
    {
        _chatClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.IChatClient");
        // Agent Framework declares a ChatClientExtensions of the same name (AsAIAgent), which makes the compilation's
        // lookup ambiguous (null): the one that sends requests lives beside IChatClient.
        _chatClientExtensions = _chatClient?.ContainingAssembly.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientExtensions");
        _structuredOutputExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions");
        _chatMessage = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatMessage");
        _chatClientBuilder = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientBuilder");
    }

    public override bool IsReferenced => _chatClient is not null;

    public override ModelCallSite? Recognize(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader) =>
        definition.Name is "GetResponseAsync" or "GetStreamingResponseAsync" && IsChatClientMethod(definition)
            ? Response(invocation, definition, reader)
            : null;

    private ModelCallSite Response(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader)
    {
        var origin = reader.ReceiverOrigin(invocation);
        var optionsArgument = Argument(invocation, "options");
        var options = ObjectSettings.Trace(optionsArgument);
        var parts = new List<PromptPart>();
        var messages = Argument(invocation, "messages") ?? Argument(invocation, "chatMessages");
        if (messages is not null)
        {
            reader.Prompts.AddMessages(parts, messages, request: invocation.Syntax);
        }
        else if (Argument(invocation, "chatMessage") is { } single)
        {
            if (single.Type?.SpecialType == SpecialType.System_String)
            {
                PromptPartCollector.AddText(parts, PromptRole.User, single);
            }
            else
            {
                reader.Prompts.AddMessages(parts, single);
            }
        }

        // The per-call ModelId wins over the client's default model, except on clients bound to one model (the
        // OpenAI ChatClient adapter never reads it).
        var model = options?.Get("ModelId") is { } modelId && origin?.ModelFixedByClient != true
            ? reader.ResolveModel(modelId, origin?.Provider ?? ModelProvider.Unknown, origin?.Service ?? ServiceKind.Unknown, options.IsShared)
            : reader.ModelFrom(origin?.ModelExpression, origin, origin?.Provider ?? ModelProvider.Unknown, shared: origin?.IsShared == true);
        var maxOutput = CallSiteReader.Setting(options?.Get("MaxOutputTokens")) ?? CallSiteReader.Setting(origin?.DefaultMaxOutputTokens);
        var structured = invocation.TargetMethod.IsGenericMethod && definition.ContainingType is { } type && Is(type, _structuredOutputExtensions)
            ? invocation.TargetMethod.TypeArguments[0]
            : null;
        return new ModelCallSite(
            invocation, LlmSdk.MicrosoftExtensionsAI, definition.Name == "GetStreamingResponseAsync", model, maxOutput, structured, parts,
            toolSources: CallSiteReader.ToolSources(options),
            conversation: messages,
            requestsVariedAnswers: RequestSampling.VariesAnswers(options, "Temperature"),
            servedFromCache: origin?.IsCaching == true,
            carriesUnseenContent: HidesContent(optionsArgument, options, "Instructions", "ConversationId", "ToolMode", "RawRepresentationFactory", "AdditionalProperties"));
    }

    /// <summary>A builder or delegating client wraps an inner <c>IChatClient</c>: the model is the inner one's.</summary>
    public override bool TryOriginOfCreation(IObjectCreationOperation creation, INamedTypeSymbol type, ClientOriginTracer tracer, int depth, out ClientOrigin? origin)
    {
        origin = null;
        if (!Is(type, _chatClientBuilder) && !Implements(type, _chatClient))
        {
            return false;
        }

        var inner = creation.Arguments.FirstOrDefault(a => Implements(a.Value.Type, _chatClient) || Is(a.Value.Type, _chatClient));
        origin = inner is null ? null : tracer.Trace(inner.Value, depth + 1, false);
        if (IsCachingClient(type))
        {
            origin = (origin ?? new ClientOrigin(ModelProvider.Unknown, ServiceKind.Unknown, null, null, false)).WithCache();
        }

        return true;
    }

    public override bool TryOriginOfInvocation(IInvocationOperation invocation, IMethodSymbol method, IOperation? receiver, ClientOriginTracer tracer, int depth, bool shared, out ClientOrigin? origin)
    {
        origin = null;
        switch (method.Name)
        {
            case "AsBuilder" when method.IsExtensionMethod && method.Parameters.Length > 0 && Is(method.Parameters[0].Type, _chatClient):
                origin = Argument(invocation, method.Parameters[0].Name) is { } inner ? tracer.Trace(inner, depth + 1, shared) : null;
                return true;
            case "Build" when Is(method.ContainingType, _chatClientBuilder):
                origin = receiver is null ? null : tracer.Trace(receiver, depth + 1, shared);
                return true;
        }

        // Fluent middleware (builder.UseFunctionInvocation(), UseLogging()…) returns the same builder; a caching one
        // (UseDistributedCache, a semantic cache) answers repeated requests itself.
        if (Is(method.ReturnType, _chatClientBuilder) && receiver is not null && Is(receiver.Type, _chatClientBuilder))
        {
            origin = tracer.Trace(receiver, depth + 1, shared);
            if (method.Name.IndexOf("Cach", System.StringComparison.Ordinal) >= 0)
            {
                origin = (origin ?? new ClientOrigin(ModelProvider.Unknown, ServiceKind.Unknown, null, null, shared)).WithCache();
            }

            return true;
        }

        return false;
    }

    /// <summary><c>new ChatMessage(ChatRole.System, "…")</c>.</summary>
    public override bool TryAddCreatedMessage(List<PromptPart> parts, IObjectCreationOperation creation, INamedTypeSymbol type, PromptPartCollector collector)
    {
        if (!Is(type, _chatMessage) || creation.Arguments.Length != 2)
        {
            return false;
        }

        var role = ValueTracer.Unwrap(creation.Arguments[0].Value) is IPropertyReferenceOperation { Property.Name: var roleName } ? PromptPartCollector.RoleFromName(roleName) : PromptRole.Unknown;
        PromptPartCollector.AddText(parts, role, creation.Arguments[1].Value);
        return true;
    }

    /// <summary>A delegating client that caches answers (<c>DistributedCachingChatClient</c>, or one of the user's own).</summary>
    private static bool IsCachingClient(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current.Name.IndexOf("Caching", System.StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsChatClientMethod(IMethodSymbol method)
    {
        var containing = method.ContainingType;
        if (Implements(containing, _chatClient))
        {
            return true;
        }

        return method.IsExtensionMethod && method.Parameters.Length > 0 && Is(method.Parameters[0].Type, _chatClient)
            && (Is(containing, _chatClientExtensions) || Is(containing, _structuredOutputExtensions));
    }

    /// <summary><c>ChatFinishReason.ToolCalls</c> (a static property here).</summary>
    private static bool IsToolSignal(IOperation operation) =>
        operation is IPropertyReferenceOperation { Property: { Name: "ToolCalls", IsStatic: true } property } && property.ContainingType?.Name == "ChatFinishReason";

    /// <summary>The type of a tool (<c>AITool</c>), or null when the compilation does not reference Microsoft.Extensions.AI.</summary>
    public static INamedTypeSymbol? ToolType(Compilation compilation) => compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.AITool");

    /// <summary><c>FunctionCallContent</c> (Semantic Kernel has a type of the same name).</summary>
    private static bool IsToolCallType(ITypeSymbol type) => type.Name == "FunctionCallContent";
}
