using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;
using static TokenLint.Analysis.CallSites.SdkSymbols;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Microsoft Agent Framework: <c>agent.RunAsync(…)</c> / <c>RunStreamingAsync(…)</c> of an agent built over an
/// <c>IChatClient</c> (<c>new ChatClientAgent(chatClient, instructions, …, tools)</c>, <c>new ChatClientAgent(chatClient,
/// options)</c>, <c>chatClient.AsAIAgent(…)</c>, <c>builder.BuildAIAgent(…)</c>, or any other factory that returns a
/// <c>ChatClientAgent</c> from a client it is called on, and <c>agent.AsBuilder()…Build()</c> over one of these),
/// traced through locals, fields and properties. The model is the chat client's, the instructions are the system
/// prompt, the run's message or messages the user's. Runs of other agents (workflows, remote agents) and of agents
/// whose kind the code does not show are not model calls here: what they send is not known.
/// </summary>
internal sealed class AgentFrameworkSdk : SdkSurface
{
    /// <summary>Calls that read a message list they are given, rather than fill it (see <see cref="PromptPartCollector"/>).</summary>
    private static readonly string[] MessageReaders = { "RunAsync", "RunStreamingAsync" };

    /// <summary>What this SDK says by name alone (see <see cref="SdkNames"/>).</summary>
    public static readonly SdkNames Names = new(MessageReaders);

    private readonly INamedTypeSymbol? _agent;
    private readonly INamedTypeSymbol? _chatClientAgent;
    private readonly INamedTypeSymbol? _agentBuilder;

    public AgentFrameworkSdk(Compilation compilation)
    {
        _agent = compilation.GetTypeByMetadataName("Microsoft.Agents.AI.AIAgent");
        _chatClientAgent = compilation.GetTypeByMetadataName("Microsoft.Agents.AI.ChatClientAgent");
        _agentBuilder = compilation.GetTypeByMetadataName("Microsoft.Agents.AI.AIAgentBuilder");
    }

    public override bool IsReferenced => _chatClientAgent is not null;

    public override SdkNames ByName => Names;

    public override ModelCallSite? Recognize(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader)
    {
        if (definition.Name is not ("RunAsync" or "RunStreamingAsync") || _chatClientAgent is null || !InheritsFrom(definition.ContainingType, _agent))
        {
            return null;
        }

        return ReceiverOf(invocation) is { } receiver && Definition(receiver) is { } agent
            ? Run(invocation, definition.Name == "RunStreamingAsync", agent, reader)
            : null;
    }

    private ModelCallSite Run(IInvocationOperation invocation, bool streaming, AgentDefinition agent, CallSiteReader reader)
    {
        var origin = agent.ChatClient is null ? null : reader.Origins.Trace(agent.ChatClient);
        bool shared = agent.IsShared || origin?.IsShared == true;
        var chatOptions = agent.ChatOptions;
        var parts = new List<PromptPart>();
        bool unseen = agent.HidesContent;
        if (agent.Instructions is { } instructions)
        {
            PromptPartCollector.AddText(parts, PromptRole.System, instructions);
        }
        else if (unseen)
        {
            // Instructions the code does not show may come first: no part is known to open the prompt.
            parts.Add(PromptPart.Opaque(invocation));
        }

        // A session replays the conversation the framework keeps for it, after the instructions, and the run adds
        // to it: the same run again is the next turn.
        var session = Argument(invocation, "session");
        bool inSession = session is not null && !IsNullConstant(session);
        if (inSession)
        {
            parts.Add(PromptPart.Opaque(session!));
        }

        var messages = Argument(invocation, "messages");
        if (messages is not null)
        {
            reader.Prompts.AddMessages(parts, messages, request: invocation.Syntax);
        }
        else if (Argument(invocation, "message") is { } single)
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

        var runOptions = Argument(invocation, "options");
        unseen |= runOptions is not null && !IsNullConstant(runOptions);
        var provider = origin?.Provider ?? ModelProvider.Unknown;
        var model = chatOptions?.Get("ModelId") is { } modelId && origin?.ModelFixedByClient != true
            ? reader.ResolveModel(modelId, provider, origin?.Service ?? ServiceKind.Unknown, shared || chatOptions.IsShared)
            : reader.ModelFrom(origin?.ModelExpression, origin, provider, shared);
        var tools = CallSiteReader.ToolSources(chatOptions);
        if (agent.Tools is { } toolArgument && !IsNullConstant(toolArgument))
        {
            tools.Add(toolArgument);
        }

        return new ModelCallSite(
            invocation, LlmSdk.MicrosoftAgentFramework, streaming, model,
            CallSiteReader.Setting(chatOptions?.Get("MaxOutputTokens")) ?? CallSiteReader.Setting(origin?.DefaultMaxOutputTokens),
            invocation.TargetMethod.IsGenericMethod ? invocation.TargetMethod.TypeArguments[0] : null,
            parts,
            toolSources: tools,
            conversation: messages,
            requestsVariedAnswers: RequestSampling.VariesAnswers(chatOptions, "Temperature"),
            servedFromCache: origin?.IsCaching == true,
            carriesUnseenContent: unseen || SdkSymbols.HidesContent(agent.Options?.Get("ChatOptions"), chatOptions, "ConversationId", "ToolMode", "RawRepresentationFactory", "AdditionalProperties"),
            changesLaterRequests: inSession || agent.HidesContent);
    }

    /// <summary>
    /// The agent an expression holds, followed back to the creation of a chat-client agent; null when it is another
    /// kind of agent, or one whose kind the code does not show.
    /// </summary>
    private AgentDefinition? Definition(IOperation agent)
    {
        bool shared = false;
        bool ofChatClientKind = false;
        var operation = ValueTracer.Unwrap(agent);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            // A local or field typed ChatClientAgent says the kind even where its value is not shown (injected, or
            // from a factory this compilation cannot bind).
            ofChatClientKind |= operation.Type is INamedTypeSymbol type && InheritsFrom(type, _chatClientAgent);
            switch (operation)
            {
                case IObjectCreationOperation creation when Is(creation.Type, _chatClientAgent):
                    return Created(Argument(creation, "chatClient"), Argument(creation, "instructions"), Argument(creation, "tools"), Argument(creation, "options"), shared);
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
                    var receiver = ReceiverOf(invocation);
                    if (receiver is not null && (Is(method.ReturnType, _agentBuilder) || (method.Name == "Build" && Is(method.ContainingType, _agentBuilder))))
                    {
                        // agent.AsBuilder().Use(…).Build(): middleware around the inner agent, which sends the requests.
                        operation = ValueTracer.Unwrap(receiver);
                        continue;
                    }

                    // chatClient.AsAIAgent(…), builder.BuildAIAgent(…), and factories of other packages alike: the
                    // client it is called on, and its parameters by name.
                    return method.ReturnType is INamedTypeSymbol returned && InheritsFrom(returned, _chatClientAgent) && receiver is not null
                        && (HasParameter(method, "instructions") || HasParameter(method, "options"))
                        ? Created(receiver, Argument(invocation, "instructions"), Argument(invocation, "tools"), Argument(invocation, "options"), shared)
                        : Unshown(ofChatClientKind, shared);
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var value, out bool isShared))
            {
                return Unshown(ofChatClientKind, shared);
            }

            shared |= isShared;
            operation = ValueTracer.Unwrap(value);
        }

        return null;
    }

    /// <summary>An agent whose creation the code does not show: a model call only when a type says it runs over a chat client.</summary>
    private static AgentDefinition? Unshown(bool ofChatClientKind, bool shared) => ofChatClientKind ? AgentDefinition.Unshown(shared) : null;

    private static AgentDefinition Created(IOperation? chatClient, IOperation? instructions, IOperation? tools, IOperation? optionsArgument, bool shared)
    {
        var options = ObjectSettings.Trace(optionsArgument);
        var chatOptions = ObjectSettings.Trace(options?.Get("ChatOptions"));
        bool instructionsUnknown = optionsArgument is not null && !IsNullConstant(optionsArgument) && (options is null || options.IsShared);
        return new AgentDefinition(
            chatClient,
            instructions ?? chatOptions?.Get("Instructions"),
            tools,
            optionsArgument,
            options,
            chatOptions,
            shared,
            isShown: !instructionsUnknown);
    }
}
