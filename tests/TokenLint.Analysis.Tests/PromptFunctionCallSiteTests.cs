using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Catalog;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analysis.Tests;

/// <summary>Semantic Kernel prompt functions as the call-site catalog reads them, compiled against the real package.</summary>
public sealed class PromptFunctionCallSiteTests
{
    [Fact]
    public void InvokeAsyncOnAFunctionFromAField_ReadsTheTemplateSettingsAndArguments()
    {
        var (sites, definitions) = Read("""
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            class Triage
            {
                private readonly Kernel _kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", "key").Build();
                private readonly KernelFunction _label;

                public Triage()
                {
                    _label = _kernel.CreateFunctionFromPrompt(
                        "Label the ticket for team {{ $team }}: {{$ticket}}",
                        new OpenAIPromptExecutionSettings { MaxTokens = 4 });
                }

                public async Task RunAsync(string ticket)
                {
                    await _kernel.InvokeAsync(_label, new KernelArguments { ["team"] = "billing", ["TICKET"] = ticket });
                    await foreach (var update in _label.InvokeStreamingAsync(_kernel, new() { ["team"] = "billing" })) { }
                }
            }
            """);

        Assert.Empty(definitions);
        Assert.Equal(2, sites.Count);
        Assert.All(sites, site => Assert.Equal("gpt-4o", site.Model?.Id));
        Assert.All(sites, site => Assert.Equal(4, site.MaxOutputTokens?.Value));
        Assert.Equal(new[] { false, true }, sites.Select(s => s.IsStreaming));

        var first = PromptTextBuilder.Build(Assert.Single(sites[0].PromptParts));
        Assert.Equal(new[] { Volatility.Static, Volatility.PerRequest }, first.Segments.Select(s => s.Volatility));
        Assert.Equal("Label the ticket for team billing: ", first.Segments[0].Text);
        Assert.Equal("parameter 'ticket'", first.Segments[1].Reason);
        Assert.False(sites[0].CarriesUnseenContent);

        var second = PromptTextBuilder.Build(Assert.Single(sites[1].PromptParts));
        Assert.Equal("template variable 'ticket'", second.Segments[1].Reason);
        Assert.True(sites[1].CarriesUnseenContent, "a value the code does not show");
    }

    [Fact]
    public void SettingsAndModels_FromArgumentsBeforeTheFunction_ExtensionDataAndModelId()
    {
        var (sites, _) = Read("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            class C
            {
                public async Task RunAsync(Kernel injected, IConfigurationLike config)
                {
                    var kernel = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o", "key").Build();
                    var function = KernelFunctionFactory.CreateFromPrompt("Say hi", new OpenAIPromptExecutionSettings { MaxTokens = 100 });
                    await kernel.InvokeAsync(function, new KernelArguments(new PromptExecutionSettings
                    {
                        ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 7 },
                    }));
                    await function.InvokeAsync(kernel);
                    await injected.InvokePromptAsync("Say hi", new(new OpenAIPromptExecutionSettings { ModelId = "gpt-4o" }));
                    await injected.InvokePromptAsync("Say hi", new(new OpenAIPromptExecutionSettings { ModelId = config.Model }));
                    var mini = Kernel.CreateBuilder().AddOpenAIChatCompletion("gpt-4o-mini", "key").Build();
                    await mini.InvokePromptAsync("Say hi", new(new OpenAIPromptExecutionSettings { ModelId = "gpt-4o" }));
                }
            }

            interface IConfigurationLike { string Model { get; } }
            """);

        Assert.Equal(new long?[] { 7, 100, null, null, null }, sites.Select(s => s.MaxOutputTokens?.Value));
        Assert.Equal(new[] { "gpt-4o", "gpt-4o", "gpt-4o", null, "gpt-4o-mini" }, sites.Select(s => s.Model?.Id));
        Assert.True(sites[2].Model!.IsSharedWithOtherCalls, "a settings model id only picks a service: no fix rewrites it");
        Assert.Equal(ServiceKind.Unknown, sites[2].Model!.Service);
    }

    [Fact]
    public void AFunctionHandedToAPlugin_IsADefinition_OneSentHereIsNot()
    {
        var (sites, definitions) = Read("""
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            class C
            {
                public async Task RunAsync(Kernel kernel)
                {
                    var sent = kernel.CreateFunctionFromPrompt("Summarise {{$input}}");
                    await kernel.InvokeAsync(sent);
                    kernel.ImportPluginFromFunctions("writer", [kernel.CreateFunctionFromPrompt("Write a haiku about {{$topic}}")]);
                }
            }
            """);

        Assert.Single(sites);
        var definition = Assert.Single(definitions);
        Assert.Equal("CreateFunctionFromPrompt", definition.Invocation.TargetMethod.Name);
        Assert.Contains("haiku", definition.Invocation.Syntax.ToString());
    }

    [Fact]
    public void TemplatesTheCodeCannotRead_CarryUnseenContent()
    {
        var (sites, _) = Read("""
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            class C
            {
                public async Task RunAsync(Kernel kernel, KernelArguments injected, string template)
                {
                    await kernel.InvokePromptAsync("Hi {{time.Now}}");
                    await kernel.InvokePromptAsync("Hi", injected);
                    await kernel.InvokePromptAsync(template);
                    await kernel.InvokePromptAsync("Hi {{name}}", templateFormat: "handlebars");
                    await kernel.InvokePromptAsync("<message role=\"system\">Be terse.</message>Hi");
                    await kernel.InvokePromptAsync("Hi {{$a b}}");
                    await kernel.InvokePromptAsync("Hi {{$name}}", new() { ["name"] = "Ann" });
                    await kernel.InvokePromptAsync("Hi", new KernelArguments(new[] { new PromptExecutionSettings() }));
                }
            }
            """);

        Assert.Equal("True True True True True True False True", string.Join(" ", sites.Select(s => s.CarriesUnseenContent)));
        Assert.Equal("Hi Ann", sites[6].PromptParts[0].ConstantText);
        Assert.True(sites[5].PromptParts[0].IsOpaque, "a template the kernel rejects");
    }

    private static (List<ModelCallSite> Sites, List<ModelCallSite> Definitions) Read(string source)
    {
        var (compilation, tree) = ModelCallSiteCatalogTests.Compile(source);
        var catalog = new ModelCallSiteCatalog(SdkTypes.Resolve(compilation)!, ModelCatalog.BuiltIn);
        var model = compilation.GetSemanticModel(tree);
        var sites = new List<ModelCallSite>();
        var definitions = new List<ModelCallSite>();
        foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (model.GetOperation(invocation) is not IInvocationOperation operation)
            {
                continue;
            }

            if (catalog.TryGetCallSite(operation, out var site))
            {
                sites.Add(site);
            }

            if (catalog.TryGetRequestDefinition(operation, out var definition))
            {
                definitions.Add(definition);
            }
        }

        return (sites, definitions);
    }
}
