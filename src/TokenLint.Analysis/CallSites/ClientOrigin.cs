using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.CallSites;

/// <summary>What the code that created a client says about it: who serves it and which model it is bound to.</summary>
public sealed class ClientOrigin
{
    public ClientOrigin(ModelProvider provider, ServiceKind service, IOperation? modelExpression, IOperation? defaultMaxOutputTokens, bool isShared, bool modelFixedByClient = false)
    {
        ModelFixedByClient = modelFixedByClient;
        Provider = provider;
        Service = service;
        ModelExpression = modelExpression;
        DefaultMaxOutputTokens = defaultMaxOutputTokens;
        IsShared = isShared;
    }

    public ModelProvider Provider { get; }

    public ServiceKind Service { get; }

    /// <summary>The expression the client's model id came from (a constructor or factory argument).</summary>
    public IOperation? ModelExpression { get; }

    /// <summary>An output limit set once for the client (<c>AsIChatClient(model, defaultMaxOutputTokens)</c>).</summary>
    public IOperation? DefaultMaxOutputTokens { get; }

    /// <summary>True when the client is reached from more than one place (a field, a local read twice).</summary>
    public bool IsShared { get; }

    /// <summary>
    /// True when the client is bound to one model and ignores a per-request model id: an OpenAI
    /// <c>ChatClient</c>, and Microsoft.Extensions.AI's adapter over it, never read <c>ChatOptions.ModelId</c>.
    /// </summary>
    public bool ModelFixedByClient { get; }

    internal ClientOrigin Through(bool shared) =>
        shared ? new ClientOrigin(Provider, Service, ModelExpression, DefaultMaxOutputTokens, true, ModelFixedByClient) : this;

    internal ClientOrigin WithModel(IOperation? model, IOperation? maxOutputTokens = null) =>
        new(Provider, Service, model ?? ModelExpression, maxOutputTokens ?? DefaultMaxOutputTokens, IsShared, ModelFixedByClient && model is null);
}

/// <summary>
/// Follows a client expression back to its creation: <c>new ChatClient("gpt-4o", key)</c>,
/// <c>openAI.GetChatClient(model)</c>, <c>anthropic.AsIChatClient(model)</c>, <c>new ChatClientBuilder(inner)…Build()</c>,
/// <c>Kernel.CreateBuilder().AddOpenAIChatCompletion(model, key).Build()</c>, through locals and fields.
/// </summary>
internal sealed class ClientOriginTracer
{
    private readonly SdkTypes _types;

    public ClientOriginTracer(SdkTypes types)
    {
        _types = types;
    }

    public ClientOrigin? Trace(IOperation? expression) => expression is null ? null : Trace(expression, 0, shared: false);

    private ClientOrigin? Trace(IOperation expression, int depth, bool shared)
    {
        if (depth > ValueTracer.MaxDepth)
        {
            return null;
        }

        var operation = ValueTracer.Unwrap(expression);
        switch (operation)
        {
            case IObjectCreationOperation creation:
                return FromCreation(creation, depth)?.Through(shared);
            case IInvocationOperation invocation:
                return FromInvocation(invocation, depth, shared);
            case IPropertyReferenceOperation { Instance: { } instance, Property.Name: "Messages" or "Beta" }
                when Implements(instance.Type, _types.AnthropicClientInterface) || IsAnthropicService(instance.Type):
                // client.Messages / client.Beta.Messages: the service belongs to the client.
                return Trace(instance, depth + 1, shared);
            case ILocalReferenceOperation local when IsKernelBuilder(local.Type) && FromKernelBuilderStatements(local) is { } configured:
                return Trace(configured, depth + 1, shared: true);
        }

        if (ValueTracer.TryGetSingleValue(operation, out var value, out bool isShared))
        {
            return Trace(value, depth + 1, shared || isShared);
        }

        // An injected Anthropic client: its concrete type still says who serves it.
        if (Is(operation.Type, _types.AnthropicClient))
        {
            return new ClientOrigin(ModelProvider.Anthropic, ServiceKind.FirstParty, null, null, isShared: true);
        }

        return null;
    }

    /// <summary>The concrete first-party Anthropic client type, or unknown (Foundry, Bedrock and Vertex clients
    /// implement the same interface).</summary>
    private ServiceKind ServiceFromStaticType(ITypeSymbol? type) => Is(type, _types.AnthropicClient) ? ServiceKind.FirstParty : ServiceKind.Unknown;

    /// <summary>
    /// Semantic Kernel's OpenAI connector: an <c>endpoint</c>, or an <c>HttpClient</c> with a base address, points it
    /// at another server; an <c>OpenAIClient</c> argument decides for itself (an <c>AzureOpenAIClient</c> is Azure).
    /// </summary>
    private ServiceKind SemanticKernelService(IMethodSymbol? method, IOperation? openAIClient, IOperation? httpClient, int depth)
    {
        if (HasParameter(method, "endpoint"))
        {
            return ServiceKind.CustomEndpoint;
        }

        if (httpClient is not null && ValueTracer.Unwrap(httpClient) is not { ConstantValue: { HasValue: true, Value: null } })
        {
            return ObjectSettings.Trace(httpClient)?.IsSet("BaseAddress") == true ? ServiceKind.CustomEndpoint : ServiceKind.Unknown;
        }

        if (openAIClient is not null)
        {
            return openAIClient.Type is INamedTypeSymbol clientType && InheritsFrom(clientType, _types.AzureOpenAIClient)
                ? ServiceKind.AzureDeployment
                : Trace(openAIClient, depth + 1, false)?.Service ?? ServiceKind.Unknown;
        }

        return ServiceKind.FirstParty;
    }

    private ClientOrigin? FromCreation(IObjectCreationOperation creation, int depth)
    {
        var type = creation.Type as INamedTypeSymbol;
        if (type is null)
        {
            return null;
        }

        if (InheritsFrom(type, _types.AzureOpenAIClient))
        {
            return new ClientOrigin(ModelProvider.OpenAI, ServiceKind.AzureDeployment, null, null, false);
        }

        if (Is(type, _types.OpenAIChatClient))
        {
            return new ClientOrigin(ModelProvider.OpenAI, ServiceFromOptions(Argument(creation, "options")), Argument(creation, "model"), null, false, modelFixedByClient: true);
        }

        if (Is(type, _types.OpenAIClient) || Is(type, _types.OpenAIResponsesClient))
        {
            return new ClientOrigin(ModelProvider.OpenAI, ServiceFromOptions(Argument(creation, "options")), null, null, false);
        }

        if (Is(type, _types.SemanticKernelOpenAIChatCompletionService))
        {
            var service = SemanticKernelService(creation.Constructor, Argument(creation, "openAIClient"), Argument(creation, "httpClient"), depth);
            return new ClientOrigin(ModelProvider.OpenAI, service, Argument(creation, "modelId"), null, false);
        }

        if (Implements(type, _types.AnthropicClientInterface))
        {
            // Bedrock, Vertex and Foundry clients implement the same interface with other model ids.
            bool firstParty = type.ContainingNamespace?.ToDisplayString() == "Anthropic" && type.Name is "AnthropicClient" or "AnthropicClientWithRawResponse";
            bool customBaseUrl = ObjectSettings.Trace(creation)?.IsSet("BaseUrl") == true
                || creation.Arguments.Any(a => ObjectSettings.Trace(a.Value) is { } options && (options.IsSet("BaseUrl") || options.IsSet("HttpClient")));
            return new ClientOrigin(ModelProvider.Anthropic, firstParty && !customBaseUrl ? ServiceKind.FirstParty : ServiceKind.CustomEndpoint, null, null, false);
        }

        if (Is(type, _types.ChatClientBuilder) || Implements(type, _types.ChatClient))
        {
            // A builder or delegating client wraps an inner IChatClient: the model is the inner one's.
            var inner = creation.Arguments.FirstOrDefault(a => Implements(a.Value.Type, _types.ChatClient) || Is(a.Value.Type, _types.ChatClient));
            return inner is null ? null : Trace(inner.Value, depth + 1, false);
        }

        return null;
    }

    private ClientOrigin? FromInvocation(IInvocationOperation invocation, int depth, bool shared)
    {
        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        var containing = method.ContainingType;
        var receiver = ReceiverOf(invocation);
        switch (method.Name)
        {
            case "GetChatClient" when InheritsFrom(containing, _types.OpenAIClient):
            {
                var origin = receiver is null ? null : Trace(receiver, depth + 1, shared);
                var service = origin?.Service ?? ServiceKind.Unknown;
                if (receiver?.Type is INamedTypeSymbol receiverType && InheritsFrom(receiverType, _types.AzureOpenAIClient))
                {
                    service = ServiceKind.AzureDeployment;
                }

                return new ClientOrigin(ModelProvider.OpenAI, service, Argument(invocation, "model") ?? Argument(invocation, "deploymentName"), null, shared || origin?.IsShared == true, modelFixedByClient: true);
            }

            case "GetResponsesClient" when InheritsFrom(containing, _types.OpenAIClient):
            {
                var origin = receiver is null ? null : Trace(receiver, depth + 1, shared);
                bool azure = receiver?.Type is INamedTypeSymbol receiverType && InheritsFrom(receiverType, _types.AzureOpenAIClient);
                return new ClientOrigin(ModelProvider.OpenAI, azure ? ServiceKind.AzureDeployment : origin?.Service ?? ServiceKind.Unknown, null, null, shared);
            }

            case "AsIChatClient" when Is(containing, _types.AnthropicChatClientExtensions):
            {
                var client = Argument(invocation, "client") ?? Argument(invocation, "betaService");
                var origin = client is null ? null : Trace(client, depth + 1, shared);
                var service = origin?.Service ?? ServiceFromStaticType(client?.Type);
                return new ClientOrigin(ModelProvider.Anthropic, service, Argument(invocation, "defaultModelId"), Argument(invocation, "defaultMaxOutputTokens"), shared);
            }

            case "AsIChatClient" when Is(containing, _types.OpenAIChatClientExtensions):
            {
                var client = Argument(invocation, "chatClient") ?? Argument(invocation, "responseClient");
                var origin = client is null ? null : Trace(client, depth + 1, shared);
                return origin?.WithModel(Argument(invocation, "defaultModelId")).Through(shared);
            }

            case "AsBuilder" when method.IsExtensionMethod && method.Parameters.Length > 0 && Is(method.Parameters[0].Type, _types.ChatClient):
                return Argument(invocation, method.Parameters[0].Name) is { } inner ? Trace(inner, depth + 1, shared) : null;

            case "Build" when Is(containing, _types.ChatClientBuilder) || Implements(containing, _types.KernelBuilder)
                || (method.IsExtensionMethod && method.Parameters.Length > 0 && IsKernelBuilder(method.Parameters[0].Type)):
                return receiver is null ? null : Trace(receiver, depth + 1, shared);

            case "GetRequiredService" or "GetService" or "GetRequiredKeyedService" when receiver is not null && Is(receiver.Type, _types.Kernel):
                return Trace(receiver, depth + 1, shared);

            case "AddOpenAIChatCompletion" when Is(containing, _types.OpenAIKernelBuilderExtensions) || Is(containing, _types.OpenAIServiceCollectionExtensions):
            {
                var service = SemanticKernelService(method, Argument(invocation, "openAIClient"), Argument(invocation, "httpClient"), depth);
                return new ClientOrigin(ModelProvider.OpenAI, service, Argument(invocation, "modelId"), null, shared);
            }

            case "AddAzureOpenAIChatCompletion":
                return new ClientOrigin(ModelProvider.OpenAI, ServiceKind.AzureDeployment, null, null, shared);
        }

        // Fluent middleware (builder.UseFunctionInvocation(), UseLogging()…) returns the same builder.
        if (Is(method.ReturnType, _types.ChatClientBuilder) && receiver is not null && Is(receiver.Type, _types.ChatClientBuilder))
        {
            return Trace(receiver, depth + 1, shared);
        }

        return null;
    }

    /// <summary>
    /// <c>var builder = Kernel.CreateBuilder(); builder.AddOpenAIChatCompletion(...);</c>: the one chat-completion
    /// registration made on the builder in its body. Two registrations make the model unknown.
    /// </summary>
    private IOperation? FromKernelBuilderStatements(ILocalReferenceOperation builder)
    {
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
            var access = identifier.Parent as Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax;
            if (access?.Expression == identifier
                && access.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax call
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

    private ServiceKind ServiceFromOptions(IOperation? options)
    {
        if (options is null || ValueTracer.Unwrap(options) is { ConstantValue: { HasValue: true, Value: null } })
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

    internal static IOperation? ReceiverOf(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return instance;
        }

        // Extension methods called as instance methods: the receiver is the first argument.
        return invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
    }

    internal static IOperation? Argument(IInvocationOperation invocation, string parameterName) => Argument(invocation.Arguments, parameterName);

    internal static IOperation? Argument(IObjectCreationOperation creation, string parameterName) => Argument(creation.Arguments, parameterName);

    private static IOperation? Argument(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, string parameterName)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == parameterName && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static bool HasParameter(IMethodSymbol? method, string name) => method?.Parameters.Any(p => p.Name == name) == true;

    private bool IsKernelBuilder(ITypeSymbol? type) => Is(type, _types.KernelBuilder) || Implements(type, _types.KernelBuilder);

    private bool IsAnthropicService(ITypeSymbol? type) =>
        type?.ContainingNamespace?.ToDisplayString().StartsWith("Anthropic.Services", System.StringComparison.Ordinal) == true;

    internal static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    internal static bool InheritsFrom(INamedTypeSymbol? type, INamedTypeSymbol? expected)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, expected))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool Implements(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && (Is(type, expected) || type.AllInterfaces.Any(i => Is(i, expected)));
}
