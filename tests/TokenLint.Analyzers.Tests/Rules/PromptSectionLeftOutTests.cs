using System.Threading.Tasks;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.PromptSectionLeftOutAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace TokenLint.Analyzers.Tests.Rules;

/// <summary>TL9105: a <c>[PromptSection]</c> member the <c>[CachedPrompt]</c> builder leaves out of the prompt.</summary>
public sealed class PromptSectionLeftOutTests
{
    private const string Unsupported = ": the builder lays out text, lists of strings, few-shot pairs and static tool lists";

    [Fact]
    public async Task CollectionsTheBuilderCannotLayOut_AreReportedWithTheirType()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Text;
            using TokenLint;

            [CachedPrompt(Model = "gpt-4o")]
            public partial class SupportPrompt
            {
                [PromptSection(Stability.Static)]
                const string Instructions = "Answer from the order data only.";

                [{|#0:PromptSection(Stability.Static)|}]
                static readonly List<int> Examples = new() { 1, 2 };

                [{|#1:PromptSection(Stability.Session)|}]
                public Dictionary<string, int> Scores { get; set; } = new();

                [{|#2:PromptSection(Stability.Volatile)|}]
                public IEnumerable<object> Items() => new object[0];

                [{|#3:PromptSection(Stability.Session)|}]
                public (string Input, int Score)[] Graded { get; set; } = new (string, int)[0];

                [{|#4:PromptSection(Stability.Volatile)|}]
                public StringBuilder Draft { get; } = new();
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9105").WithLocation(0).WithMessage("'Examples' is a List<int>" + Unsupported),
            Verify.Diagnostic("TL9105").WithLocation(1).WithMessage("'Scores' is a Dictionary<string, int>" + Unsupported),
            Verify.Diagnostic("TL9105").WithLocation(2).WithMessage("'Items' returns IEnumerable<object>" + Unsupported),
            Verify.Diagnostic("TL9105").WithLocation(3).WithMessage("'Graded' is a (string Input, int Score)[]" + Unsupported),
            Verify.Diagnostic("TL9105").WithLocation(4).WithMessage("'Draft' is a StringBuilder" + Unsupported));
    }

    [Fact]
    public async Task TasksAndAsyncStreams_AreReportedAsValuesTheBuilderCannotAwait()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using TokenLint;

            [CachedPrompt]
            public partial class SupportPrompt
            {
                [{|#0:PromptSection(Stability.Static)|}]
                public static Task<string> Load() => Task.FromResult("policy");

                [{|#1:PromptSection(Stability.Session)|}]
                public ValueTask<string> Customer { get; set; }

                [{|#2:PromptSection(Stability.Volatile)|}]
                public IAsyncEnumerable<string> History { get; set; } = null!;
            }
            """;
        const string Await = ": the builder cannot await it; pass the loaded text in";
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9105").WithLocation(0).WithMessage("'Load' returns Task<string>" + Await),
            Verify.Diagnostic("TL9105").WithLocation(1).WithMessage("'Customer' is a ValueTask<string>" + Await),
            Verify.Diagnostic("TL9105").WithLocation(2).WithMessage("'History' is an IAsyncEnumerable<string>" + Await));
    }

    [Fact]
    public async Task ToolListsThatAreNotStatic_AreReported()
    {
        const string source = """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;
            using TokenLint;

            [CachedPrompt]
            public partial class AgentPrompt
            {
                [{|#0:PromptSection(Stability.Session)|}]
                public IList<AITool> Tools { get; set; } = new List<AITool>();

                [{|#1:PromptSection(Stability.Volatile)|}]
                public AIFunction[] Functions { get; set; } = new AIFunction[0];
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9105").WithLocation(0).WithMessage("'Tools' is a tool list in a Session section: only static tool lists are sent, in a stable order"),
            Verify.Diagnostic("TL9105").WithLocation(1).WithMessage("'Functions' is a tool list in a Volatile section: only static tool lists are sent, in a stable order"));
    }

    [Fact]
    public async Task MembersTheBuilderCannotRead_AreReportedWithWhy()
    {
        const string source = """
            using TokenLint;

            interface IHasText { string Text { get; } }

            [CachedPrompt]
            public partial class SupportPrompt : IHasText
            {
                [{|#0:PromptSection(Stability.Volatile)|}]
                public string Question { set { } }

                [{|#1:PromptSection(Stability.Volatile)|}]
                public string Echo(string text) => text;

                [{|#2:PromptSection(Stability.Session)|}]
                public string Pick<T>() => typeof(T).Name;

                [{|#3:PromptSection(Stability.Session)|}]
                public void Log() { }

                [{|#4:PromptSection(Stability.Static)|}]
                public ref string Slot() => ref _slot;
                private string _slot = "";

                [{|#5:PromptSection(Stability.Session)|}]
                public string this[int index] => "";

                [{|#6:PromptSection(Stability.Static)|}]
                string IHasText.Text => "explicit";
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9105").WithLocation(0).WithMessage("'Question' has no getter: the builder cannot read a write-only property"),
            Verify.Diagnostic("TL9105").WithLocation(1).WithMessage("'Echo' takes parameters: the builder calls a section method with none; pass the values in through properties"),
            Verify.Diagnostic("TL9105").WithLocation(2).WithMessage("'Pick' is generic: the builder calls a section method without type arguments"),
            Verify.Diagnostic("TL9105").WithLocation(3).WithMessage("'Log' returns void: the builder lays out the value a section method returns"),
            Verify.Diagnostic("TL9105").WithLocation(4).WithMessage("'Slot' returns by reference: the builder calls section methods that return a value"),
            Verify.Diagnostic("TL9105").WithLocation(5).WithMessage("'this[]' is an indexer: the builder reads a section without arguments"),
            Verify.Diagnostic("TL9105").WithLocation(6).WithMessage("'IHasText.Text' is an explicit interface implementation: the builder cannot read it by name; make the section an ordinary member"));
    }

    [Fact]
    public async Task RefStructs_AreReported()
    {
        // A ref struct cannot be boxed, enumerated or formatted by the builder, even one that implements IFormattable.
        const string source = """
            using System;
            using TokenLint;

            [CachedPrompt]
            public partial class SupportPrompt
            {
                [PromptSection(Stability.Static)]
                const string Instructions = "Be brief.";

                [{|#0:PromptSection(Stability.Volatile)|}]
                public ReadOnlySpan<char> Question() => "Where is my order?".AsSpan();
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9105").WithLocation(0).WithMessage("'Question' is a ref struct (ReadOnlySpan<char>): the builder cannot hold or format it; return a string"));
    }

    [Fact]
    public async Task StabilityOutOfRange_IsReportedWithTheValue()
    {
        const string source = """
            using System.Collections.Generic;
            using TokenLint;

            [CachedPrompt]
            public partial class SupportPrompt
            {
                [{|#0:PromptSection((Stability)3)|}]
                public string Notes { get; set; } = "";

                [{|#1:PromptSection((Stability)(-1))|}]
                public List<int> Scores { get; set; } = new();
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9105").WithLocation(0).WithMessage("'Notes' has Stability value 3, which is not Static, Session or Volatile: no part of the prompt holds it"),
            Verify.Diagnostic("TL9105").WithLocation(1).WithMessage("'Scores' has Stability value -1, which is not Static, Session or Volatile: no part of the prompt holds it"));
    }

    [Fact]
    public async Task EverySectionShapeTheBuilderLaysOut_IsNotReported()
    {
        const string source = """
            #nullable enable
            using System;
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using Microsoft.Extensions.AI;
            using TokenLint;

            public enum Tier { Silver, Gold }

            [CachedPrompt(Model = "claude-sonnet-4-6")]
            public partial class SupportPrompt
            {
                // Text: const, static readonly, properties (nullable, private getter, init), parameterless methods, formattables.
                [PromptSection(Stability.Static, Order = 1)] const string Instructions = "Answer from the order data only.";
                [PromptSection(Stability.Static, Order = 2)] static readonly string Policy = "Refunds within 14 days.";
                [PromptSection(Stability.Static, Order = 3)] static string Footer() => "Be brief.";
                [PromptSection((Stability)1)] public string Customer { get; set; } = "";
                [PromptSection(Stability.Session)] public string? Nickname { get; init; }
                [PromptSection(Stability.Session)] public string Secret { private get; set; } = "";
                [PromptSection(Stability.Session)] public Tier Tier { get; set; }
                [PromptSection(Stability.Session)] public int? Attempts { get; set; }
                [PromptSection(Stability.Session)] public bool Premium { get; set; }
                [PromptSection(Stability.Session)] public char Grade { get; set; }
                [PromptSection(Stability.Volatile)] public DateTimeOffset? Now { get; set; }
                [PromptSection(Stability.Volatile)] public decimal Total() => 12.5m;
                [PromptSection(Stability.Volatile)] public string Question = "";

                // Lines.
                [PromptSection(Stability.Static)] static readonly string[] Rules = { "Be polite." };
                [PromptSection(Stability.Session)] public List<string> Notes { get; } = new();
                [PromptSection(Stability.Session)] public IReadOnlyList<string>? Flags { get; set; }
                [PromptSection(Stability.Session)] public IEnumerable<string?> Tags() => Array.Empty<string?>();
                [PromptSection(Stability.Volatile)] public ImmutableArray<string> Recent { get; set; }
                [PromptSection(Stability.Volatile)] public HashSet<string> Seen { get; } = new();

                // Few-shot pairs.
                [PromptSection(Stability.Static)] static readonly (string Input, string Output)[] Examples = { ("Hi", "Hello") };
                [PromptSection(Stability.Static)] static readonly List<(string, string)> More = new();
                [PromptSection(Stability.Static)] static readonly ImmutableArray<(string Input, string Output)> Pinned = ImmutableArray<(string, string)>.Empty;
                [PromptSection(Stability.Session)] public Dictionary<string, string> Preferences { get; } = new();
                [PromptSection(Stability.Session)] public IEnumerable<KeyValuePair<string, string>> Facts() => Preferences;

                // Static tool lists.
                [PromptSection(Stability.Static)] static readonly IList<AITool> Tools = new List<AITool>();
                [PromptSection(Stability.Static)] static readonly AIFunction[] Functions = new AIFunction[0];
                [PromptSection(Stability.Static)] public ImmutableArray<AITool> MoreTools { get; set; }
                [PromptSection(Stability.Static)] public IEnumerable<AIFunction> Lookups() => Functions;

                // Not sections: no attribute.
                public List<int> Scores { get; } = new();
                public System.Threading.Tasks.Task<string> Load() => System.Threading.Tasks.Task.FromResult("");
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task TypesTheGeneratorDoesNotBuild_AreLeftToTL9101_AndTypesWithoutCachedPrompt_AreNotReported()
    {
        const string source = """
            using System.Collections.Generic;
            using TokenLint;

            [CachedPrompt]
            public class NotPartial
            {
                [PromptSection(Stability.Static)] static readonly List<int> Examples = new();
            }

            public partial class Outer
            {
                [CachedPrompt]
                public partial class Nested
                {
                    [PromptSection(Stability.Static)] static readonly List<int> Examples = new();
                }
            }

            [CachedPrompt]
            file partial class FileLocal
            {
                [PromptSection(Stability.Static)] static readonly List<int> Examples = new();
            }

            public partial class NotAPrompt
            {
                [PromptSection(Stability.Static)] static readonly List<int> Examples = new();
                [PromptSection((Stability)3)] public string Notes { get; set; } = "";
            }
            """;
        await Verify.VerifyAnalyzerAsync(source);
    }

    [Fact]
    public async Task APartialTypeDeclaredTwice_IsReportedOnceAtTheMember()
    {
        const string source = """
            using System.Collections.Generic;
            using TokenLint;

            [CachedPrompt]
            public partial class SupportPrompt
            {
                [PromptSection(Stability.Static)] const string Instructions = "Answer from the order data only.";
            }

            public partial class SupportPrompt
            {
                [{|#0:PromptSection(Stability.Session)|}] public List<int> Scores { get; } = new();
            }
            """;
        await Verify.VerifyAnalyzerAsync(source,
            Verify.Diagnostic("TL9105").WithLocation(0).WithMessage("'Scores' is a List<int>" + Unsupported));
    }
}
