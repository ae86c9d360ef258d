using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// What the code that built an Agent Framework agent over a chat client says about the requests its runs send: the
/// client (whose origin gives the model), the instructions (the system prompt), the tools and the chat options.
/// </summary>
internal sealed class AgentDefinition
{
    public AgentDefinition(IOperation? chatClient, IOperation? instructions, IOperation? tools, IOperation? optionsArgument, ObjectSettings? options, ObjectSettings? chatOptions, bool isShared, bool isShown)
    {
        ChatClient = chatClient;
        Instructions = instructions;
        Tools = tools;
        OptionsArgument = optionsArgument;
        Options = options;
        ChatOptions = chatOptions;
        IsShared = isShared;
        IsShown = isShown;
    }

    /// <summary>An agent of the chat-client kind whose creation the code does not show (injected, returned by a
    /// method): its client, instructions and options are unknown.</summary>
    public static AgentDefinition Unshown(bool isShared) => new(null, null, null, null, null, null, isShared, isShown: false);

    /// <summary>The client the agent sends through (or the builder of it).</summary>
    public IOperation? ChatClient { get; }

    /// <summary>The <c>instructions</c> argument, or <c>ChatOptions.Instructions</c> of the agent's options.</summary>
    public IOperation? Instructions { get; }

    /// <summary>The <c>tools</c> argument.</summary>
    public IOperation? Tools { get; }

    /// <summary>The <c>ChatClientAgentOptions</c> argument, as written.</summary>
    public IOperation? OptionsArgument { get; }

    /// <summary>The agent options the code shows, or null.</summary>
    public ObjectSettings? Options { get; }

    /// <summary>The <c>ChatOptions</c> of the agent options the code shows, or null.</summary>
    public ObjectSettings? ChatOptions { get; }

    /// <summary>True when the agent is reached from more than one place (a field, a local run twice).</summary>
    public bool IsShared { get; }

    /// <summary>False when the agent's creation is not in the code: nothing of its request is known.</summary>
    public bool IsShown { get; }

    /// <summary>
    /// True when the agent's requests carry content the definition does not show: options from elsewhere, or a
    /// history or context provider that adds messages of its own.
    /// </summary>
    public bool HidesContent =>
        !IsShown
        || SdkSymbols.HidesContent(OptionsArgument, Options, "ChatHistoryProvider", "AIContextProviders")
        || (Options?.Get("ChatOptions") is { } chatOptions && !SdkSymbols.IsNullConstant(chatOptions) && (ChatOptions is null || ChatOptions.IsShared));
}
