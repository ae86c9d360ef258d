using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.AI;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Generators.Tests;

public sealed class CachedPromptGeneratorTests
{
    /// <summary>Declared volatile-first, session in the middle, static sections out of order.</summary>
    private const string SupportPrompt = """"
        using System;
        using TokenLint;

        namespace Support;

        [CachedPrompt(Model = "gpt-4o")]
        public partial class SupportPrompt
        {
            [PromptSection(Stability.Volatile)]
            public DateTimeOffset Now { get; init; }

            [PromptSection(Stability.Volatile, Order = 0)]
            public string Question { get; init; } = "";

            [PromptSection(Stability.Session)]
            public string CustomerProfile { get; init; } = "";

            [PromptSection(Stability.Static, Order = 2)]
            public const string Examples = """
                Q: Where is my order?
                A: Let me look it up. What is the order number?
                """;

            [PromptSection(Stability.Static, Order = 1)]
            private const string Instructions = """
                You are the support assistant for Northwind Outfitters.
                Answer only from the order data you are given.
                """;

            public string NotASection => "left out";
        }
        """";

    private static GeneratedSourceResult Generated(GeneratorDriverRunResult run) => run.Results.Single().GeneratedSources.Single();

    /// <summary>Runs the generator (its output must compile warning-free) and compares the one file with its snapshot.</summary>
    private static void MatchesSnapshot(string name, Microsoft.CodeAnalysis.CSharp.CSharpCompilation input)
    {
        var generated = Generated(GeneratorHarness.Run(input).Run);
        Snapshot.Verify(name, generated.HintName, generated.SourceText.ToString());
    }

    [Fact]
    public void SupportPrompt_MatchesItsSnapshot()
    {
        MatchesSnapshot("SupportPrompt", GeneratorHarness.Compile(SupportPrompt));
    }

    [Fact]
    public void StaticClassWithoutMicrosoftExtensionsAI_MatchesItsSnapshot()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "claude-sonnet-4-5")]
            static partial class Classifier
            {
                [PromptSection(Stability.Static)]
                static readonly string Rules = "Classify the ticket as billing, shipping or other.";

                [PromptSection(Stability.Static)]
                static string Queues() => "billing, shipping, other";
            }
            """;
        MatchesSnapshot("StaticClassWithoutMicrosoftExtensionsAI", GeneratorHarness.Compile(withMicrosoftExtensionsAI: false, source));
    }

    [Fact]
    public void ClaudePromptKnownBelowTheMinimum_MatchesItsSnapshot_WithoutBreakpoints()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "claude-haiku-4-5")]
            public partial class Triage
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Route the ticket to billing, shipping or other. Answer with the queue name only.";

                [PromptSection(Stability.Volatile)]
                public string Ticket { get; set; } = "";
            }
            """;
        MatchesSnapshot("ClaudePromptKnownBelowTheMinimum", GeneratorHarness.Compile(source));
    }

    [Fact]
    public void Render_PutsTheStaticSectionsFirst_AndTheirBytesDoNotDependOnSessionOrVolatileValues()
    {
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(SupportPrompt));
        var type = GeneratorHarness.Load(output).GetType("Support.SupportPrompt")!;

        string first = Render(type, "Gold member since 2019", "Where is order 1?", new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        string second = Render(type, "New customer", "Can I return boots?", new DateTimeOffset(2026, 11, 30, 9, 30, 0, TimeSpan.Zero));

        string staticPrefix = "You are the support assistant for Northwind Outfitters.\nAnswer only from the order data you are given.\n\n"
            + "Q: Where is my order?\nA: Let me look it up. What is the order number?";
        Assert.StartsWith(staticPrefix + "\n\nGold member since 2019\n\nWhere is order 1?\n\n11/29/2026 08:00:00 +00:00", first, StringComparison.Ordinal);
        Assert.StartsWith(staticPrefix + "\n\nNew customer", second, StringComparison.Ordinal);
        Assert.Equal(GeneratorHarness.Load(output).GetType("Support.SupportPrompt")!.GetField("StaticPrefixHash")!.GetValue(null), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(staticPrefix))).ToLowerInvariant());
    }

    private static string Render(Type type, string profile, string question, DateTimeOffset now)
    {
        object prompt = Activator.CreateInstance(type)!;
        type.GetProperty("CustomerProfile")!.SetValue(prompt, profile);
        type.GetProperty("Question")!.SetValue(prompt, question);
        type.GetProperty("Now")!.SetValue(prompt, now);
        string hash = (string)type.GetMethod("ComputeStaticPrefixHash")!.Invoke(prompt, null)!;
        Assert.Equal(type.GetField("StaticPrefixHash")!.GetValue(null), hash);
        return (string)type.GetMethod("Render")!.Invoke(prompt, null)!;
    }

    [Fact]
    public void StaticPrefixTokenCount_IsTheO200kCountOfTheStaticText_AndTheHashFollowsEveryCharacter()
    {
        string policy = string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", 50));
        string Source(string text) => $$""""
            using TokenLint;

            [CachedPrompt(Model = "gpt-4o")]
            partial class Policy
            {
                [PromptSection(Stability.Static)]
                const string Text = """
                    {{text}}
                    """;
            }
            """";

        int expected = TokenCounter.Count(policy).Value;
        Assert.InRange(expected, 900, 1100);
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(Source(policy)));
        var type = GeneratorHarness.Load(output).GetType("Policy")!;
        Assert.Equal(expected, type.GetField("StaticPrefixTokenCount")!.GetValue(null));
        Assert.Equal(false, type.GetField("StaticPrefixTokenCountIsEstimate")!.GetValue(null));

        var (again, _) = GeneratorHarness.Run(GeneratorHarness.Compile(Source(policy)));
        var (changed, _) = GeneratorHarness.Run(GeneratorHarness.Compile(Source(policy.Replace("14 days", "15 days"))));
        object? hash = type.GetField("StaticPrefixHash")!.GetValue(null);
        Assert.Equal(hash, GeneratorHarness.Load(again).GetType("Policy")!.GetField("StaticPrefixHash")!.GetValue(null));
        Assert.NotEqual(hash, GeneratorHarness.Load(changed).GetType("Policy")!.GetField("StaticPrefixHash")!.GetValue(null));
    }

    [Fact]
    public void ProjectOnCSharp73_GetsCodeWithoutNullableSyntax_ThatCompiles()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            partial class Legacy
            {
                [PromptSection(Stability.Static)]
                const string Text = "Be brief.";

                [PromptSection(Stability.Volatile)]
                public string Question { get; set; }
            }
            """;
        var compilation = GeneratorHarness.Compile(source)
            .WithOptions(GeneratorHarness.Compile(source).Options.WithNullableContextOptions(NullableContextOptions.Disable));
        var legacy = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3);
        compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(), Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, legacy, path: "Legacy.cs"));
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(new[] { new CachedPromptGenerator().AsSourceGenerator() }, parseOptions: legacy)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        string generated = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();
        Assert.DoesNotContain("#nullable", generated, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void AwkwardMembers_AreLaidOutOrLeftOut_AndTheBuilderCompiles()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using TokenLint;

            interface IHasText { string Text { get; } }

            [CachedPrompt]
            partial class Awkward<T> : IHasText
            {
                [PromptSection(Stability.Static)]
                const string @class = "Keyword-named section.";

                [PromptSection(Stability.Session)]
                public int? Attempts { get; set; } = 2;

                [PromptSection(Stability.Session, Order = 1)]
                public DayOfWeek Day { get; set; } = DayOfWeek.Monday;

                // Left out: no getter, a task, a method with parameters. An empty list adds nothing.
                [PromptSection(Stability.Volatile)]
                public string WriteOnly { set { } }

                [PromptSection(Stability.Static)]
                public static List<string> Tools { get; } = new();

                [PromptSection(Stability.Volatile)]
                public Task<string> Later() => Task.FromResult("later");

                [PromptSection(Stability.Volatile)]
                public string Echo(string text) => text;

                [PromptSection(Stability.Static)]
                string IHasText.Text => "explicit";
            }
            """;
        var (output, run) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var type = GeneratorHarness.Load(output).GetType("Awkward`1")!.MakeGenericType(typeof(int));
        object prompt = Activator.CreateInstance(type)!;
        // Day has an explicit Order, so it comes before Attempts (no Order).
        Assert.Equal("Keyword-named section.\n\nMonday\n\n2", type.GetMethod("Render")!.Invoke(prompt, null));
        Assert.Equal("Awkward`1.CachedPrompt.g.cs", Generated(run).HintName);
    }

    [Fact]
    public void AnthropicSystemBlocks_CarryTheStaticBreakpointOnlyWhenTheStaticPrefixCanBeCached_AndAlwaysTheSessionBreakpoint()
    {
        string policy = string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", 60));
        string Source(string name, string text) => $$""""
            using TokenLint;

            [CachedPrompt(Model = "claude-sonnet-4-6")]
            partial class {{name}}
            {
                [PromptSection(Stability.Static)]
                const string Text = """
                    {{text}}
                    """;

                [PromptSection(Stability.Session)]
                public string Customer { get; set; } = "Gold member";

                [PromptSection(Stability.Volatile)]
                public string Question { get; set; } = "Where is my order?";
            }
            """";

        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(Source("LongPolicy", policy), Source("ShortPolicy", "Answer briefly.")));
        var assembly = GeneratorHarness.Load(output);
        Assert.Equal(new[] { true, true, false }, Breakpoints(assembly.GetType("LongPolicy")!));
        // The session breakpoint covers static + session, whose length is known only at run time: it stays.
        Assert.Equal(new[] { false, true, false }, Breakpoints(assembly.GetType("ShortPolicy")!));
    }

    [Fact]
    public void AnthropicSystemBlocks_KeepTheStaticBreakpoint_UnlessTL2003WouldReportTheStaticPrefix()
    {
        // Between 820 and 1,023 tokens: under Sonnet's 1,024, but not once Claude's 25% margin is added.
        string nearMinimum = string.Concat(Enumerable.Repeat("Answer politely and cite the order number. ", 110));
        Assert.InRange(TokenCounter.Count(nearMinimum).Value, 820, 1023);
        string Source(string name, string model, string members) => $$"""
            using System.Threading.Tasks;
            using TokenLint;

            [CachedPrompt(Model = "{{model}}")]
            partial class {{name}}
            {
            {{members}}
                [PromptSection(Stability.Session)]
                public string Customer { get; set; } = "Gold member";

                [PromptSection(Stability.Volatile)]
                public string Question { get; set; } = "Where is my order?";
            }
            """;
        const string Short = "[PromptSection(Stability.Static)] const string Text = \"Answer briefly.\";";

        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(
            Source("Reported", "claude-sonnet-4-6", Short),
            Source("NearTheMinimum", "claude-sonnet-4-6", $"[PromptSection(Stability.Static)] const string Text = \"{nearMinimum}\";"),
            Source("UnconfirmedMinimum", "claude-opus-4-7", Short),
            Source("ComputedSection", "claude-sonnet-4-6", Short + "\n[PromptSection(Stability.Static)] static string Policy => \"Be kind.\";"),
            // Not laid out, but TL2003 cannot call the prefix short with it there, so the breakpoints stay.
            Source("SectionNotLaidOut", "claude-sonnet-4-6", Short + "\n[PromptSection(Stability.Static)] static Task<string> Later() => Task.FromResult(\"later\");"),
            Source("NoStaticSection", "claude-sonnet-4-6", "")));
        var assembly = GeneratorHarness.Load(output);
        Assert.Equal(new[] { false, true, false }, Breakpoints(assembly.GetType("Reported")!));
        Assert.Equal(new[] { true, true, false }, Breakpoints(assembly.GetType("NearTheMinimum")!));
        Assert.Equal(new[] { true, true, false }, Breakpoints(assembly.GetType("UnconfirmedMinimum")!));
        Assert.Equal(new[] { true, true, false }, Breakpoints(assembly.GetType("ComputedSection")!));
        Assert.Equal(new[] { true, true, false }, Breakpoints(assembly.GetType("SectionNotLaidOut")!));
        Assert.Equal(new[] { true, false }, Breakpoints(assembly.GetType("NoStaticSection")!));
    }

    [Fact]
    public void CacheableLength_CallsAPrefixShortOnlyFromATokenizerCountShortEvenWithTheMargin()
    {
        Assert.True(CacheableLength.IsKnownShort(new TokenCount(818, isEstimate: false), 1024));
        Assert.False(CacheableLength.IsKnownShort(new TokenCount(820, isEstimate: false), 1024));
        // The character estimate (the tokenizer did not load) is too rough: the breakpoints stay.
        Assert.False(CacheableLength.IsKnownShort(new TokenCount(10, isEstimate: true), 1024));
    }

    /// <summary>A Claude prompt long enough to cache, with the given <c>[CachedPrompt]</c> arguments.</summary>
    private static string LongClaudePrompt(string name, string arguments) => $$""""
        using TokenLint;

        [CachedPrompt({{arguments}})]
        public partial class {{name}}
        {
            [PromptSection(Stability.Static)]
            const string Policy = """
                {{string.Concat(Enumerable.Repeat("Refunds are issued within 14 days of purchase when the item is unused and in its original box. ", 60))}}
                """;

            [PromptSection(Stability.Session)]
            public string Customer { get; set; } = "Gold member";

            [PromptSection(Stability.Volatile)]
            public string Question { get; set; } = "Where is my order?";
        }
        """";

    [Fact]
    public void OneHourStaticCache_MatchesItsSnapshot()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "claude-sonnet-4-6", StaticCacheTtl = CacheTtl.OneHour)]
            public partial class Handbook
            {
                [PromptSection(Stability.Static)]
                public static string Chapters { get; set; } = "";

                [PromptSection(Stability.Session)]
                public string Customer { get; set; } = "";

                [PromptSection(Stability.Volatile)]
                public string Question { get; set; } = "";
            }
            """;
        MatchesSnapshot("OneHourStaticCache", GeneratorHarness.Compile(source));
    }

    [Theory]
    [InlineData("Model = \"claude-sonnet-4-6\", StaticCacheTtl = CacheTtl.OneHour", "1h")]
    [InlineData("Model = \"claude-sonnet-4-6\"", "5m")]
    [InlineData("Model = \"claude-sonnet-4-6\", StaticCacheTtl = CacheTtl.FiveMinutes", "5m")]
    public async System.Threading.Tasks.Task AnthropicRequests_CarryTheStaticTtl_OnTheStaticBlockOnly_BothFromToAnthropicSystemAndThroughIChatClient(string arguments, string staticTtl)
    {
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(LongClaudePrompt("RefundPrompt", arguments)));
        var type = GeneratorHarness.Load(output).GetType("RefundPrompt")!;
        // Static block first with its TTL, session block with the default 5 minutes, the volatile block bare.
        Assert.All(await SentSystemBreakpoints(type), sent => Assert.Equal(new[] { staticTtl, "5m", "none" }, sent));
    }

    [Fact]
    public async System.Threading.Tasks.Task ShortClaudeStaticPrefix_LosesOnlyTheStaticBreakpoint_BothFromToAnthropicSystemAndThroughIChatClient()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "claude-sonnet-4-6")]
            public partial class ShortRules
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Answer briefly.";

                [PromptSection(Stability.Session)]
                public string Customer { get; set; } = "Gold member";

                [PromptSection(Stability.Volatile)]
                public string Question { get; set; } = "Where is my order?";
            }
            """;
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var type = GeneratorHarness.Load(output).GetType("ShortRules")!;
        Assert.All(await SentSystemBreakpoints(type), sent => Assert.Equal(new[] { "none", "5m", "none" }, sent));
    }

    [Fact]
    public void WhiteSpaceOnlyParts_GetNoBlock_TheAPIRejectsThem()
    {
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(LongClaudePrompt("RefundPrompt", "Model = \"claude-sonnet-4-6\"")));
        var type = GeneratorHarness.Load(output).GetType("RefundPrompt")!;
        object prompt = Activator.CreateInstance(type)!;
        type.GetProperty("Customer")!.SetValue(prompt, " \n ");

        var blocks = (System.Collections.Generic.List<Anthropic.Models.Messages.TextBlockParam>)type.GetMethod("ToAnthropicSystem")!.Invoke(prompt, null)!;
        Assert.Equal(new[] { true, false }, blocks.Select(block => block.CacheControl is not null).ToArray());
        Assert.DoesNotContain(blocks, block => string.IsNullOrWhiteSpace(block.Text));
        var messages = (System.Collections.Generic.IList<Microsoft.Extensions.AI.ChatMessage>)type.GetMethod("ToChatMessages")!.Invoke(prompt, null)!;
        Assert.Equal(2, messages.Single().Contents.Count);
        Assert.DoesNotContain(messages.Single().Contents.OfType<TextContent>(), content => string.IsNullOrWhiteSpace(content.Text));
    }

    /// <summary>
    /// The system blocks' breakpoint TTLs (<see cref="CacheTtlOf"/>) of two requests the Anthropic SDK sends for a new
    /// instance of the type: one with <c>ToAnthropicSystem()</c>, one with <c>ToChatMessages()</c> through its <c>IChatClient</c>.
    /// </summary>
    private static async System.Threading.Tasks.Task<string[][]> SentSystemBreakpoints(Type type)
    {
        object prompt = Activator.CreateInstance(type)!;
        var handler = new CapturingAnthropicHandler();
        var client = handler.Client();

        var system = (System.Collections.Generic.List<Anthropic.Models.Messages.TextBlockParam>)type.GetMethod("ToAnthropicSystem")!.Invoke(prompt, null)!;
        await client.Messages.Create(new Anthropic.Models.Messages.MessageCreateParams
        {
            Model = "claude-sonnet-4-6",
            MaxTokens = 10,
            System = system,
            Messages = [new Anthropic.Models.Messages.UserMessageParam("Hi")],
        });

        var messages = (System.Collections.Generic.IList<Microsoft.Extensions.AI.ChatMessage>)type.GetMethod("ToChatMessages")!.Invoke(prompt, null)!;
        messages.Add(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "Hi"));
        await client.AsIChatClient("claude-sonnet-4-6").GetResponseAsync(messages);

        Assert.Equal(2, handler.Bodies.Count);
        return handler.Bodies
            .Select(body => System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("system").EnumerateArray().Select(CacheTtlOf).ToArray())
            .ToArray();
    }

    /// <summary>A sent block's breakpoint TTL ("5m" when the SDK leaves the default out), or "none".</summary>
    private static string CacheTtlOf(System.Text.Json.JsonElement block)
    {
        if (!block.TryGetProperty("cache_control", out var cacheControl))
        {
            return "none";
        }

        Assert.Equal("ephemeral", cacheControl.GetProperty("type").GetString());
        return cacheControl.TryGetProperty("ttl", out var ttl) ? ttl.GetString()! : "5m";
    }

    /// <summary>Whether each block of <c>ToAnthropicSystem()</c> carries a cache breakpoint.</summary>
    internal static bool[] Breakpoints(Type type)
    {
        var blocks = (System.Collections.IEnumerable)type.GetMethod("ToAnthropicSystem")!.Invoke(Activator.CreateInstance(type), null)!;
        return blocks.Cast<Anthropic.Models.Messages.TextBlockParam>().Select(block => block.CacheControl is not null).ToArray();
    }

    /// <summary>Lists, few-shot pairs of both shapes and two tool lists, declared in no particular order.</summary>
    private const string AgentPrompt = """
        using System.Collections.Generic;
        using Microsoft.Extensions.AI;
        using TokenLint;

        namespace Support;

        [CachedPrompt(Model = "gpt-4.1")]
        public partial class AgentPrompt
        {
            [PromptSection(Stability.Static)]
            public static IList<AITool> OrderTools { get; set; } = new List<AITool>();

            [PromptSection(Stability.Static, Order = 0)]
            static readonly string[] Rules = { "Answer from the order data only.", "Never promise a refund." };

            [PromptSection(Stability.Static, Order = 1)]
            static IEnumerable<(string Input, string Output)> Examples() => new[]
            {
                ("Where is my order?", "What is the order number?"),
                ("Can I return boots?", "Yes, within 14 days."),
            };

            [PromptSection(Stability.Static)]
            public static IEnumerable<AIFunction> AccountTools { get; set; } = new List<AIFunction>();

            [PromptSection(Stability.Session)]
            public IReadOnlyList<string> RecentOrders { get; set; } = new List<string>();

            [PromptSection(Stability.Session)]
            public Dictionary<string, string> Preferences { get; set; } = new();

            // Tools change the cached prefix: a session tool list is left out.
            [PromptSection(Stability.Session)]
            public List<AITool> SessionTools { get; set; } = new();
        }
        """;

    [Fact]
    public void ListFewShotAndToolSections_MatchTheirSnapshot()
    {
        MatchesSnapshot("AgentPrompt", GeneratorHarness.Compile(AgentPrompt));
    }

    [Fact]
    public void ListAndFewShotSections_RenderOneItemALine_AndEachPairAsInputAndOutput()
    {
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(AgentPrompt));
        var type = GeneratorHarness.Load(output).GetType("Support.AgentPrompt")!;
        object prompt = Activator.CreateInstance(type)!;
        type.GetProperty("RecentOrders")!.SetValue(prompt, new List<string> { "A-100 shipped", "A-101 packed" });
        type.GetProperty("Preferences")!.SetValue(prompt, new Dictionary<string, string> { ["language"] = "French" });

        Assert.Equal(
            "Answer from the order data only.\nNever promise a refund.\n\n"
            + "Input: Where is my order?\nOutput: What is the order number?\n\nInput: Can I return boots?\nOutput: Yes, within 14 days.",
            type.GetMethod("RenderStatic")!.Invoke(prompt, null));
        Assert.Equal("A-100 shipped\nA-101 packed\n\nInput: language\nOutput: French", type.GetMethod("Render")!.Invoke(prompt, null) is string all ? all[(all.IndexOf("A-100", StringComparison.Ordinal))..] : null);
    }

    [Fact]
    public void Tools_ComeSortedByName_AndTheStaticPrefixHashIsTheSameWhateverOrderTheyWereBuiltIn()
    {
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(AgentPrompt));
        var type = GeneratorHarness.Load(output).GetType("Support.AgentPrompt")!;
        object prompt = Activator.CreateInstance(type)!;
        AIFunction Tool(string name, string description) => AIFunctionFactory.Create(() => name, name, description);

        (string[] Names, string Hash, ChatOptions Options) Build(IEnumerable<AITool> orderTools, IEnumerable<AIFunction> accountTools)
        {
            type.GetProperty("OrderTools")!.SetValue(null, orderTools.ToList());
            type.GetProperty("AccountTools")!.SetValue(null, accountTools.ToList());
            var tools = (IList<AITool>)type.GetMethod("GetTools")!.Invoke(prompt, null)!;
            return (tools.Select(t => t.Name).ToArray(), (string)type.GetMethod("ComputeStaticPrefixHash")!.Invoke(prompt, null)!, (ChatOptions)type.GetMethod("ToChatOptions")!.Invoke(prompt, null)!);
        }

        var first = Build([Tool("track_order", "Tracks an order."), Tool("cancel_order", "Cancels an order.")], [Tool("reset_password", "Resets a password."), Tool("Account_status", "Shows the account.")]);
        var second = Build([Tool("cancel_order", "Cancels an order."), Tool("track_order", "Tracks an order.")], [Tool("Account_status", "Shows the account."), Tool("reset_password", "Resets a password.")]);
        var changed = Build([Tool("cancel_order", "Cancels an order within 24 hours."), Tool("track_order", "Tracks an order.")], [Tool("Account_status", "Shows the account."), Tool("reset_password", "Resets a password.")]);

        // Ordinal: upper case sorts before lower case, on every machine and culture.
        Assert.Equal(new[] { "Account_status", "cancel_order", "reset_password", "track_order" }, first.Names);
        Assert.Equal(first.Names, second.Names);
        Assert.Equal(first.Names, first.Options.Tools!.Select(t => t.Name).ToArray());
        Assert.Equal(first.Hash, second.Hash);
        Assert.NotEqual(first.Hash, changed.Hash);
        Assert.NotEqual(type.GetField("StaticPrefixHash")!.GetValue(null), first.Hash);
    }

    /// <summary>Immutable array sections of each kind, left default (uninitialised): enumerating one throws.</summary>
    private const string DefaultImmutableArrays = """
        using System.Collections.Immutable;
        using Microsoft.Extensions.AI;
        using TokenLint;

        [CachedPrompt]
        public partial class ImmutablePrompt
        {
            [PromptSection(Stability.Static)]
            public static ImmutableArray<AITool> Tools;

            [PromptSection(Stability.Static)]
            public static ImmutableArray<AIFunction> Functions { get; set; }

            [PromptSection(Stability.Static)]
            const string Rules = "Be brief.";

            [PromptSection(Stability.Session)]
            public ImmutableArray<string> RecentOrders { get; set; }

            [PromptSection(Stability.Session)]
            public ImmutableArray<(string Input, string Output)> Examples { get; set; }
        }
        """;

    [Fact]
    public void StaticReadonlySection_SetAgainInTheStaticConstructor_IsComputed_NotCountedOrHashedAtBuildTime()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "gpt-4o")]
            public partial class Reassigned
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Be brief.";

                [PromptSection(Stability.Static)]
                static readonly string Policy = "placeholder";

                static Reassigned()
                {
                    Policy = System.Environment.GetEnvironmentVariable("NO_SUCH_VARIABLE") ?? "Refunds within 14 days.";
                }
            }
            """;
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var type = GeneratorHarness.Load(output).GetType("Reassigned")!;
        object prompt = Activator.CreateInstance(type)!;

        Assert.Equal("Be brief.\n\nRefunds within 14 days.", type.GetMethod("Render")!.Invoke(prompt, null));
        // Only the constant counts at build time; the run-time hash covers what is sent.
        static string Sha256(string text) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
        Assert.Equal(Sha256("Be brief."), type.GetField("StaticPrefixHash")!.GetValue(null));
        Assert.Equal(Sha256("Be brief.\n\nRefunds within 14 days."), type.GetMethod("ComputeStaticPrefixHash")!.Invoke(prompt, null));
    }

    [Fact]
    public void StaticReadonlySection_WrittenThroughARefLocal_IsComputed()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt(Model = "gpt-4o")]
            public partial class ThroughRef
            {
                [PromptSection(Stability.Static)]
                static readonly string Policy = "placeholder";

                static ThroughRef()
                {
                    ref string policy = ref Policy;
                    policy = "Refunds within 14 days.";
                }
            }
            """;
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var type = GeneratorHarness.Load(output).GetType("ThroughRef")!;
        object prompt = Activator.CreateInstance(type)!;

        Assert.Equal("Refunds within 14 days.", type.GetMethod("Render")!.Invoke(prompt, null));
        Assert.Equal(type.GetMethod("ComputeStaticPrefixHash")!.Invoke(prompt, null), type.GetMethod("ComputeStaticPrefixHash")!.Invoke(prompt, null));
        Assert.NotEqual(
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("placeholder"))).ToLowerInvariant(),
            type.GetField("StaticPrefixHash")!.GetValue(null));
    }

    [Fact]
    public void APromptTypeWhoseTwoDeclarationsBothCarryTheAttribute_DoesNotCostOtherTypesTheirBuilders()
    {
        // Broken code mid-edit (CS0579): one output for the type, not two with the same hint name, which would fail
        // the generator as a whole and take every other prompt type's builder with it.
        const string source = """
            using TokenLint;

            [CachedPrompt]
            public partial class Twice
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Be brief.";
            }

            [CachedPrompt]
            public partial class Twice
            {
            }

            [CachedPrompt]
            public partial class Other
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Answer in French.";
            }
            """;
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compile(source), out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics); // no CS8785
        Assert.Equal(2, output.SyntaxTrees.Count() - 1);
        Assert.Equal(new[] { "CS0579" }, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id));
    }

    [Fact]
    public void APromptTypeDerivedFromAnother_CompilesWithWarningsAsErrors_AndRendersItsOwnSections()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            public partial class BasePrompt
            {
                [PromptSection(Stability.Static)]
                const string Rules = "Be brief.";
            }

            [CachedPrompt]
            public partial class BillingPrompt : BasePrompt
            {
                [PromptSection(Stability.Static)]
                const string Billing = "Answer billing questions only.";
            }
            """;
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source)); // fails on any warning (CS0108 before)
        var type = GeneratorHarness.Load(output).GetType("BillingPrompt")!;

        Assert.Equal("Answer billing questions only.", type.GetMethod("Render")!.Invoke(Activator.CreateInstance(type), null));
    }

    [Fact]
    public void DefaultImmutableArraySections_MatchTheirSnapshot()
    {
        MatchesSnapshot("DefaultImmutableArraySections", GeneratorHarness.Compile(DefaultImmutableArrays));
    }

    [Fact]
    public void DefaultImmutableArraySections_AreEmpty_AndSetOnesAreLaidOut()
    {
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(DefaultImmutableArrays));
        var type = GeneratorHarness.Load(output).GetType("ImmutablePrompt")!;
        object prompt = Activator.CreateInstance(type)!;

        Assert.Empty((IList<AITool>)type.GetMethod("GetTools")!.Invoke(prompt, null)!);
        Assert.Equal("Be brief.", type.GetMethod("Render")!.Invoke(prompt, null));
        type.GetMethod("ComputeStaticPrefixHash")!.Invoke(prompt, null);

        type.GetField("Tools")!.SetValue(null, System.Collections.Immutable.ImmutableArray.Create<AITool>(AIFunctionFactory.Create(() => "ok", "track_order")));
        type.GetProperty("RecentOrders")!.SetValue(prompt, System.Collections.Immutable.ImmutableArray.Create("A-100 shipped"));
        Assert.Equal(new[] { "track_order" }, ((IList<AITool>)type.GetMethod("GetTools")!.Invoke(prompt, null)!).Select(t => t.Name));
        Assert.Equal("Be brief.\n\nA-100 shipped", type.GetMethod("Render")!.Invoke(prompt, null));
    }

    [Fact]
    public void ListAndFewShotSections_OnCSharp73_CompileWithoutNullableSyntax()
    {
        const string source = """
            using System.Collections.Generic;
            using TokenLint;

            [CachedPrompt]
            partial class LegacyExamples
            {
                [PromptSection(Stability.Static)]
                static readonly List<string> Rules = new List<string> { "Be brief." };

                [PromptSection(Stability.Static)]
                static readonly KeyValuePair<string, string>[] Examples = { new KeyValuePair<string, string>("Hi", "Hello.") };
            }
            """;
        var legacy = new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3);
        var compilation = GeneratorHarness.Compile(source);
        compilation = compilation.WithOptions(compilation.Options.WithNullableContextOptions(NullableContextOptions.Disable))
            .ReplaceSyntaxTree(compilation.SyntaxTrees.Single(), Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, legacy, path: "Legacy.cs"));
        Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(new[] { new CachedPromptGenerator().AsSourceGenerator() }, parseOptions: legacy)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var type = GeneratorHarness.Load(output).GetType("LegacyExamples")!;
        Assert.Equal("Be brief.\n\nInput: Hi\nOutput: Hello.", type.GetMethod("Render")!.Invoke(Activator.CreateInstance(type), null));
    }

    [Fact]
    public void SectionsNamedLikeGeneratedLocals_AreReadAsTheSections_InAGenericTypeWithATypeParameterNamedLikeTheHelpers()
    {
        const string source = """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;
            using TokenLint;

            namespace Shadow;

            [CachedPrompt]
            public partial class Shadowed<TPair>
            {
                [PromptSection(Stability.Static)]
                const string prefix = "Be brief.";

                [PromptSection(Stability.Static)]
                public static IList<AITool> tools { get; set; } = new List<AITool>();

                [PromptSection(Stability.Static)]
                static readonly (string, string)[] pairs = { ("Hi", "Hello.") };

                [PromptSection(Stability.Session)]
                public string builder { get; set; } = "Gold member";

                [PromptSection(Stability.Volatile)]
                public List<string> contents { get; set; } = new List<string> { "Where is my order?" };
            }
            """;
        var (output, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        var type = GeneratorHarness.Load(output).GetType("Shadow.Shadowed`1")!.MakeGenericType(typeof(int));
        object prompt = Activator.CreateInstance(type)!;
        type.GetProperty("tools")!.SetValue(null, new List<AITool> { AIFunctionFactory.Create(() => "ok", "track_order") });

        Assert.Equal("Be brief.\n\nInput: Hi\nOutput: Hello.\n\nGold member\n\nWhere is my order?", type.GetMethod("Render")!.Invoke(prompt, null));
        Assert.Equal(new[] { "track_order" }, ((IList<AITool>)type.GetMethod("GetTools")!.Invoke(prompt, null)!).Select(t => t.Name));
    }

    [Fact]
    public void KeywordNamedNamespaceAndType_AreEscapedInTheCode_AndLeftPlainInTheHintName()
    {
        const string source = """
            using TokenLint;

            namespace @event.Prompts;

            [CachedPrompt]
            public partial class @class<@in>
            {
                [PromptSection(Stability.Static)]
                const string Text = "Be brief.";

                [PromptSection(Stability.Session)]
                public static string @static { get; set; } = "Gold member";
            }
            """;
        var compilation = GeneratorHarness.Compile(source);
        // CS8981: a type named in lower case; not what this test is about.
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(compilation.Options.SpecificDiagnosticOptions.SetItem("CS8981", ReportDiagnostic.Suppress)));
        var (output, run) = GeneratorHarness.Run(compilation);
        Assert.Equal("event.Prompts.class`1.CachedPrompt.g.cs", Generated(run).HintName);
        var type = GeneratorHarness.Load(output).GetType("event.Prompts.class`1")!.MakeGenericType(typeof(int));
        Assert.Equal("Be brief.\n\nGold member", type.GetMethod("Render")!.Invoke(Activator.CreateInstance(type), null));
    }

    [Fact]
    public void TypesThatAreNotPartialNestedOrFileLocal_GetNoBuilder()
    {
        const string source = """
            using TokenLint;

            [CachedPrompt]
            file partial class FileLocal
            {
                [PromptSection(Stability.Static)]
                const string Text = "Be brief.";
            }

            [CachedPrompt]
            class NotPartial
            {
                [PromptSection(Stability.Static)]
                const string Text = "Be brief.";
            }

            partial class Outer
            {
                [CachedPrompt]
                partial class Nested
                {
                    [PromptSection(Stability.Static)]
                    const string Text = "Be brief.";
                }
            }
            """;
        var (_, run) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        Assert.Empty(run.Results.Single().GeneratedSources);
    }

    [Fact]
    public void TheBuilderReadsExactlyTheMembersClassifyLaysOut_WhichTL9105ReportsTheRestOf()
    {
        const string source = """
            using System;
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using System.Text;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using TokenLint;

            interface IHasText { string Text { get; } }

            [CachedPrompt(Model = "gpt-4o")]
            partial class Mixed : IHasText
            {
                [PromptSection(Stability.Static)] const string Sec01 = "Answer briefly.";
                [PromptSection(Stability.Session)] public int? Sec02 { get; set; } = 2;
                [PromptSection(Stability.Volatile)] public string[] Sec03() => new[] { "a" };
                [PromptSection(Stability.Static)] static readonly ImmutableArray<(string, string)> Sec04 = ImmutableArray<(string, string)>.Empty;
                [PromptSection(Stability.Session)] public Dictionary<string, string> Sec05 { get; } = new();
                [PromptSection(Stability.Static)] static readonly IList<AITool> Sec06 = new List<AITool>();
                [PromptSection(Stability.Session)] public IList<AITool> Sec07 { get; } = new List<AITool>();
                [PromptSection(Stability.Static)] static readonly List<int> Sec08 = new();
                [PromptSection(Stability.Volatile)] public Task<string> Sec09() => Task.FromResult("later");
                [PromptSection(Stability.Volatile)] public string Sec10 { set { } }
                [PromptSection(Stability.Volatile)] public string Sec11(string text) => text;
                [PromptSection(Stability.Session)] public StringBuilder Sec12 { get; } = new();
                [PromptSection((Stability)3)] public string Sec13 { get; set; } = "never sent";
                [PromptSection((Stability)3)] public List<string> Sec14 { get; } = new();
                [PromptSection(Stability.Static)] string IHasText.Text => "explicit";
            }
            """;
        var input = GeneratorHarness.Compile(source);
        var (_, run) = GeneratorHarness.Run(input);
        string generated = Generated(run).SourceText.ToString();
        var type = input.GetTypeByMetadataName("Mixed")!;
        var sectionAttribute = input.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName)!;
        var aiTool = input.GetTypeByMetadataName("Microsoft.Extensions.AI.AITool");

        var laidOut = new List<string>();
        foreach (var member in type.GetMembers())
        {
            var attribute = member.GetAttributes().SingleOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sectionAttribute));
            if (attribute is null)
            {
                continue;
            }

            var classification = PromptSections.Classify(member, PromptSections.Read(attribute).Stability, aiTool);
            Assert.Equal(classification.IsLaidOut, classification.LeftOutBecause is null);
            bool read = System.Text.RegularExpressions.Regex.IsMatch(generated, @"\." + System.Text.RegularExpressions.Regex.Escape(member.Name) + @"\b");
            Assert.True(read == classification.IsLaidOut, $"{member.Name}: laid out {classification.IsLaidOut}, read by the builder {read}");
            if (read)
            {
                laidOut.Add(member.Name);
            }
        }

        Assert.Equal(new[] { "Sec01", "Sec02", "Sec03", "Sec04", "Sec05", "Sec06" }, laidOut);
    }
}
