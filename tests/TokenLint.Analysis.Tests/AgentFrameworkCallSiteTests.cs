using System.Linq;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.Tests;

/// <summary>Microsoft Agent Framework's agent runs as the call-site catalog reads them (Microsoft.Agents.AI 1.28).</summary>
public sealed class AgentFrameworkCallSiteTests
{
    [Fact]
    public void ConstructedAgent_ModelFromItsChatClient_InstructionsAsSystem_MessageAsUser()
    {
        var site = Assert.Single(ModelCallSiteCatalogTests.All("""
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class C
            {
                public async Task RunAsync()
                {
                    IChatClient chat = new OpenAIClient("k").GetChatClient("gpt-4o").AsIChatClient();
                    var agent = new ChatClientAgent(chat, instructions: "You answer in French.", name: "Translator");
                    await agent.RunAsync("Hello");
                }
            }
            """));

        Assert.Equal(LlmSdk.MicrosoftAgentFramework, site.Sdk);
        Assert.Equal("gpt-4o", site.Model?.Id);
        Assert.Equal(ModelProvider.OpenAI, site.Model?.Provider);
        Assert.False(site.IsStreaming);
        Assert.False(site.CarriesUnseenContent);
        Assert.Null(site.Conversation);
        Assert.Equal(new (PromptRole, string?)[] { (PromptRole.System, "You answer in French."), (PromptRole.User, "Hello") }, site.PromptParts.Select(p => (p.Role, p.ConstantText)));
    }

    [Fact]
    public void AgentOptions_InAField_ChatOptionsGiveInstructionsLimitAndTools_MessageListIsTheConversation()
    {
        var site = Assert.Single(ModelCallSiteCatalogTests.All("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class C
            {
                private readonly AIAgent _agent = new OpenAIClient("k").GetChatClient("gpt-4.1-mini").AsIChatClient().AsAIAgent(new ChatClientAgentOptions
                {
                    Name = "Helper",
                    ChatOptions = new ChatOptions { Instructions = "Be brief.", MaxOutputTokens = 200, Tools = [AIFunctionFactory.Create(() => 1, "one")] },
                });

                public async Task RunAsync(List<ChatMessage> history)
                {
                    await foreach (var update in _agent.RunStreamingAsync(history)) { }
                }
            }
            """));

        Assert.Equal("gpt-4.1-mini", site.Model?.Id);
        Assert.True(site.IsStreaming);
        Assert.Equal(200, site.MaxOutputTokens?.Value);
        Assert.True(site.HasTools);
        Assert.NotNull(site.Conversation);
        Assert.Equal((PromptRole.System, "Be brief."), (site.PromptParts[0].Role, site.PromptParts[0].ConstantText));
    }

    [Fact]
    public void SessionOptionsFromElsewhereAndConfiguredModels_StayUnknown()
    {
        var sites = ModelCallSiteCatalogTests.All("""
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class C
            {
                public async Task RunAsync(OpenAIClient client, string modelFromConfiguration, ChatClientAgentOptions options, ChatClientAgent injected)
                {
                    var configured = client.GetChatClient(modelFromConfiguration).AsIChatClient().AsAIAgent(instructions: "Summarise.");
                    AgentSession session = await configured.CreateSessionAsync();
                    await configured.RunAsync("Hi", session);

                    var fromOptions = new ChatClientAgent(client.GetChatClient("gpt-4o").AsIChatClient(), options);
                    await fromOptions.RunAsync("Hi");

                    await injected.RunAsync("Hi");
                    await fromOptions.AsBuilder().Build().RunAsync("Hi");
                }
            }
            """);

        Assert.Equal(4, sites.Count);
        Assert.Null(sites[0].Model?.Id);
        Assert.Equal(new[] { PromptRole.System, PromptRole.Unknown, PromptRole.User }, sites[0].PromptParts.Select(p => p.Role));
        Assert.True(sites[0].PromptParts[1].IsOpaque);

        // Options the code does not show may hold instructions: nothing is known to come first.
        Assert.Equal("gpt-4o", sites[1].Model?.Id);
        Assert.True(sites[1].CarriesUnseenContent);
        Assert.True(sites[1].PromptParts[0].IsOpaque);

        Assert.Null(sites[2].Model);
        Assert.True(sites[2].CarriesUnseenContent);

        // Middleware built around an agent sends through the inner agent.
        Assert.Equal("gpt-4o", sites[3].Model?.Id);
    }

    [Fact]
    public void AnAgentTypedChatClientAgentAnywhereOnTheWay_IsAModelCallOfUnknownModel()
    {
        var site = Assert.Single(ModelCallSiteCatalogTests.All("""
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;

            class C(AIAgent injected)
            {
                private readonly ChatClientAgent _injected = (ChatClientAgent)injected;

                public async Task RunAsync()
                {
                    AIAgent agent = _injected;
                    await agent.RunAsync("Hi");
                }
            }
            """));

        Assert.Null(site.Model);
        Assert.True(site.CarriesUnseenContent);
        Assert.True(site.ChangesLaterRequests);
    }

    [Fact]
    public void AgentBuiltFromAChatClientBuilder_HasTheInnerClientsModel()
    {
        var site = Assert.Single(ModelCallSiteCatalogTests.All("""
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;
            using OpenAI;

            class C
            {
                public async Task RunAsync()
                {
                    var agent = new OpenAIClient("k").GetChatClient("gpt-4o-mini").AsIChatClient().AsBuilder()
                        .UseChatReducer(new MessageCountingChatReducer(20))
                        .BuildAIAgent(instructions: "Be brief.");
                    await agent.RunAsync("Hi");
                }
            }
            """));

        Assert.Equal("gpt-4o-mini", site.Model?.Id);
        Assert.Equal((PromptRole.System, "Be brief."), (site.PromptParts[0].Role, site.PromptParts[0].ConstantText));
    }

    [Fact]
    public void AgentsOfAnUnknownKind_AreNotModelCalls()
    {
        var sites = ModelCallSiteCatalogTests.All("""
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;

            class C
            {
                public async Task RunAsync(AIAgent anyAgent) => await anyAgent.RunAsync("Hi");
            }
            """);

        Assert.Empty(sites);
    }
}
