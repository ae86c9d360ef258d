using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.CallSites;

/// <summary>What the code that created a client says about it: who serves it and which model it is bound to.</summary>
public sealed class ClientOrigin
{
    public ClientOrigin(ModelProvider provider, ServiceKind service, IOperation? modelExpression, IOperation? defaultMaxOutputTokens, bool isShared, bool modelFixedByClient = false, bool isCaching = false)
    {
        IsCaching = isCaching;
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

    /// <summary>True when a caching middleware sits in the client's pipeline: a repeated request is answered from it.</summary>
    public bool IsCaching { get; }

    internal ClientOrigin Through(bool shared) =>
        shared ? new ClientOrigin(Provider, Service, ModelExpression, DefaultMaxOutputTokens, true, ModelFixedByClient, IsCaching) : this;

    internal ClientOrigin WithModel(IOperation? model, IOperation? maxOutputTokens = null) =>
        new(Provider, Service, model ?? ModelExpression, maxOutputTokens ?? DefaultMaxOutputTokens, IsShared, ModelFixedByClient && model is null, IsCaching);

    internal ClientOrigin WithCache() => new(Provider, Service, ModelExpression, DefaultMaxOutputTokens, IsShared, ModelFixedByClient, isCaching: true);
}

/// <summary>
/// Follows a client expression back to its creation: <c>new ChatClient("gpt-4o", key)</c>,
/// <c>openAI.GetChatClient(model)</c>, <c>anthropic.AsIChatClient(model)</c>, <c>new ChatClientBuilder(inner)…Build()</c>,
/// <c>Kernel.CreateBuilder().AddOpenAIChatCompletion(model, key).Build()</c>, through locals and fields. Which
/// creations and factories make a client, and who serves it, each SDK's file says; this class only walks.
/// </summary>
internal sealed class ClientOriginTracer
{
    private readonly SdkTypes _types;

    public ClientOriginTracer(SdkTypes types)
    {
        _types = types;
    }

    public ClientOrigin? Trace(IOperation? expression) => expression is null ? null : Trace(expression, 0, shared: false);

    /// <summary>Traces one step further: SDK files call this for the client a factory or wrapper is given.</summary>
    internal ClientOrigin? Trace(IOperation expression, int depth, bool shared)
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
        }

        foreach (var sdk in _types.Surfaces)
        {
            if (sdk.ClientBehind(operation, out bool alwaysShared) is { } client)
            {
                return Trace(client, depth + 1, shared || alwaysShared);
            }
        }

        if (ValueTracer.TryGetSingleValue(operation, out var value, out bool isShared))
        {
            return Trace(value, depth + 1, shared || isShared);
        }

        foreach (var sdk in _types.Surfaces)
        {
            if (sdk.OriginOfUntracedClient(operation) is { } origin)
            {
                return origin;
            }
        }

        return null;
    }

    private ClientOrigin? FromCreation(IObjectCreationOperation creation, int depth)
    {
        if (creation.Type is not INamedTypeSymbol type)
        {
            return null;
        }

        foreach (var sdk in _types.Surfaces)
        {
            if (sdk.TryOriginOfCreation(creation, type, this, depth, out var origin))
            {
                return origin;
            }
        }

        return null;
    }

    private ClientOrigin? FromInvocation(IInvocationOperation invocation, int depth, bool shared)
    {
        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        var receiver = SdkSymbols.ReceiverOf(invocation);
        foreach (var sdk in _types.Surfaces)
        {
            if (sdk.TryOriginOfInvocation(invocation, method, receiver, this, depth, shared, out var origin))
            {
                return origin;
            }
        }

        return null;
    }
}
