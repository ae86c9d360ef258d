using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// The SDK types the call-site catalog recognises, resolved once per compilation. A compilation that references
/// none of the supported SDKs gets <see langword="null"/> from <see cref="Resolve"/>, and rules register nothing.
/// </summary>
public sealed class SdkTypes
{
    private SdkTypes(Compilation compilation)
    {
        INamedTypeSymbol? Get(string metadataName) => compilation.GetTypeByMetadataName(metadataName);

        OpenAIClient = Get("OpenAI.OpenAIClient");
        OpenAIClientOptions = Get("OpenAI.OpenAIClientOptions");
        OpenAIChatClient = Get("OpenAI.Chat.ChatClient");
        OpenAIChatCompletionOptions = Get("OpenAI.Chat.ChatCompletionOptions");
        OpenAIChatMessage = Get("OpenAI.Chat.ChatMessage");
        OpenAISystemChatMessage = Get("OpenAI.Chat.SystemChatMessage");
        OpenAIDeveloperChatMessage = Get("OpenAI.Chat.DeveloperChatMessage");
        OpenAIUserChatMessage = Get("OpenAI.Chat.UserChatMessage");
        OpenAIAssistantChatMessage = Get("OpenAI.Chat.AssistantChatMessage");
        OpenAIResponsesClient = Get("OpenAI.Responses.ResponsesClient");
        OpenAICreateResponseOptions = Get("OpenAI.Responses.CreateResponseOptions");
        AzureOpenAIClient = Get("Azure.AI.OpenAI.AzureOpenAIClient");

        AnthropicClientInterface = Get("Anthropic.IAnthropicClient");
        AnthropicClient = Get("Anthropic.AnthropicClient");
        AnthropicMessageService = Get("Anthropic.Services.IMessageService");
        AnthropicBetaMessageService = Get("Anthropic.Services.Beta.IMessageService");
        AnthropicMessageCreateParams = Get("Anthropic.Models.Messages.MessageCreateParams");
        AnthropicBetaMessageCreateParams = Get("Anthropic.Models.Beta.Messages.MessageCreateParams");
        AnthropicModel = Get("Anthropic.Models.Messages.Model");
        AnthropicChatClientExtensions = Get("Microsoft.Extensions.AI.AnthropicClientExtensions");

        ChatClient = Get("Microsoft.Extensions.AI.IChatClient");
        ChatClientExtensions = Get("Microsoft.Extensions.AI.ChatClientExtensions");
        ChatClientStructuredOutputExtensions = Get("Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions");
        ChatOptions = Get("Microsoft.Extensions.AI.ChatOptions");
        ChatMessage = Get("Microsoft.Extensions.AI.ChatMessage");
        ChatRole = Get("Microsoft.Extensions.AI.ChatRole");
        ChatClientBuilder = Get("Microsoft.Extensions.AI.ChatClientBuilder");
        OpenAIChatClientExtensions = Get("Microsoft.Extensions.AI.OpenAIClientExtensions");

        ChatCompletionService = Get("Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService");
        ChatCompletionServiceExtensions = Get("Microsoft.SemanticKernel.ChatCompletion.ChatCompletionServiceExtensions");
        Kernel = Get("Microsoft.SemanticKernel.Kernel");
        KernelExtensions = Get("Microsoft.SemanticKernel.KernelExtensions");
        KernelBuilder = Get("Microsoft.SemanticKernel.IKernelBuilder");
        KernelArguments = Get("Microsoft.SemanticKernel.KernelArguments");
        PromptExecutionSettings = Get("Microsoft.SemanticKernel.PromptExecutionSettings");
        ChatHistory = Get("Microsoft.SemanticKernel.ChatCompletion.ChatHistory");
        OpenAIKernelBuilderExtensions = Get("Microsoft.SemanticKernel.OpenAIKernelBuilderExtensions");
        OpenAIServiceCollectionExtensions = Get("Microsoft.SemanticKernel.OpenAIServiceCollectionExtensions");
        AzureOpenAIKernelBuilderExtensions = Get("Microsoft.SemanticKernel.AzureOpenAIKernelBuilderExtensions");
        SemanticKernelOpenAIChatCompletionService = Get("Microsoft.SemanticKernel.Connectors.OpenAI.OpenAIChatCompletionService");
        ServiceProviderServiceExtensions = Get("Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions");
    }

    public INamedTypeSymbol? OpenAIClient { get; }
    public INamedTypeSymbol? OpenAIClientOptions { get; }
    public INamedTypeSymbol? OpenAIChatClient { get; }
    public INamedTypeSymbol? OpenAIChatCompletionOptions { get; }
    public INamedTypeSymbol? OpenAIChatMessage { get; }
    public INamedTypeSymbol? OpenAISystemChatMessage { get; }
    public INamedTypeSymbol? OpenAIDeveloperChatMessage { get; }
    public INamedTypeSymbol? OpenAIUserChatMessage { get; }
    public INamedTypeSymbol? OpenAIAssistantChatMessage { get; }
    public INamedTypeSymbol? OpenAIResponsesClient { get; }
    public INamedTypeSymbol? OpenAICreateResponseOptions { get; }
    public INamedTypeSymbol? AzureOpenAIClient { get; }

    public INamedTypeSymbol? AnthropicClientInterface { get; }
    public INamedTypeSymbol? AnthropicClient { get; }
    public INamedTypeSymbol? AnthropicMessageService { get; }
    public INamedTypeSymbol? AnthropicBetaMessageService { get; }
    public INamedTypeSymbol? AnthropicMessageCreateParams { get; }
    public INamedTypeSymbol? AnthropicBetaMessageCreateParams { get; }
    public INamedTypeSymbol? AnthropicModel { get; }
    public INamedTypeSymbol? AnthropicChatClientExtensions { get; }

    public INamedTypeSymbol? ChatClient { get; }
    public INamedTypeSymbol? ChatClientExtensions { get; }
    public INamedTypeSymbol? ChatClientStructuredOutputExtensions { get; }
    public INamedTypeSymbol? ChatOptions { get; }
    public INamedTypeSymbol? ChatMessage { get; }
    public INamedTypeSymbol? ChatRole { get; }
    public INamedTypeSymbol? ChatClientBuilder { get; }
    public INamedTypeSymbol? OpenAIChatClientExtensions { get; }

    public INamedTypeSymbol? ChatCompletionService { get; }
    public INamedTypeSymbol? ChatCompletionServiceExtensions { get; }
    public INamedTypeSymbol? Kernel { get; }
    public INamedTypeSymbol? KernelExtensions { get; }
    public INamedTypeSymbol? KernelBuilder { get; }
    public INamedTypeSymbol? KernelArguments { get; }
    public INamedTypeSymbol? PromptExecutionSettings { get; }
    public INamedTypeSymbol? ChatHistory { get; }
    public INamedTypeSymbol? OpenAIKernelBuilderExtensions { get; }
    public INamedTypeSymbol? OpenAIServiceCollectionExtensions { get; }
    public INamedTypeSymbol? AzureOpenAIKernelBuilderExtensions { get; }
    public INamedTypeSymbol? SemanticKernelOpenAIChatCompletionService { get; }
    public INamedTypeSymbol? ServiceProviderServiceExtensions { get; }

    /// <summary>True when any supported SDK is referenced.</summary>
    public bool HasAnySdk =>
        OpenAIChatClient is not null || OpenAIResponsesClient is not null || AnthropicMessageService is not null
        || ChatClient is not null || ChatCompletionService is not null;

    /// <summary>The SDK types of this compilation, or null when it references no supported SDK.</summary>
    public static SdkTypes? Resolve(Compilation compilation)
    {
        var types = new SdkTypes(compilation);
        return types.HasAnySdk ? types : null;
    }
}
