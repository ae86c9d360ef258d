using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;
using Verify = TokenLint.Analyzers.Tests.Verifiers.TokenLintVerifier<
    TokenLint.Analyzers.Rules.WhitespacePaddingAnalyzer,
    TokenLint.CodeFixes.Rules.WhitespacePaddingFixer>;

namespace TokenLint.Analyzers.Tests.Rules;

public sealed class WhitespacePaddingTests
{
    private static string Message(string text)
    {
        int tokens = TokenCounter.Count(text).Value;
        int waste = tokens - TokenCounter.Count(WhitespaceNormalizer.Normalize(text)).Value;
        return $"Whitespace padding (shared indentation, trailing spaces, extra blank lines) is {waste:N0} of this prompt's {tokens:N0} tokens ({(waste * 100.0 / tokens).ToString("0", CultureInfo.InvariantCulture)}%); trim it";
    }

    [Fact]
    public async Task IndentedVerbatimPrompt_IsReportedAndDedented()
    {
        const string source = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public Task RunAsync(ChatClient client, string question) =>
                    client.CompleteChatAsync(new SystemChatMessage({|#0:@"
                            Classify the ticket into one of these queues:



                            - billing
                            - shipping
                            - returns
                            - warranty
                            - accounts
                            - loyalty
                            - stores
                            - other



                            Reply with the queue name only.
                        "|}), new UserChatMessage(question));
            }
            """;
        const string fixedSource = """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                public Task RunAsync(ChatClient client, string question) =>
                    client.CompleteChatAsync(new SystemChatMessage(@"
            Classify the ticket into one of these queues:

            - billing
            - shipping
            - returns
            - warranty
            - accounts
            - loyalty
            - stores
            - other

            Reply with the queue name only.
            "), new UserChatMessage(question));
            }
            """;
        string prompt = "\n" + string.Join("\n", new[]
        {
            "Classify the ticket into one of these queues:", "", "", "", "- billing", "- shipping", "- returns", "- warranty",
            "- accounts", "- loyalty", "- stores", "- other", "", "", "", "Reply with the queue name only.",
        }.Select(line => line.Length == 0 ? line : new string(' ', 16) + line)) + "\n" + new string(' ', 12);
        await Verify.VerifyCodeFixAsync(source, fixedSource, Verify.Diagnostic("TL4002").WithLocation(0).WithMessage(Message(prompt)));
    }

    [Fact]
    public async Task FencedCodeAndShortOrTidyPrompts_AreNotReported()
    {
        const string source = """"
            using System.Threading.Tasks;
            using OpenAI.Chat;

            class Agent
            {
                private const string Tidy = """
                    You are a code reviewer. Answer in plain English and quote the lines you comment on.
                    Keep each comment under three sentences and suggest a fix when you can.
                    Point out security problems first, then correctness, then style.
                    """;

                private const string WithCode = """
                    Rewrite the function below in C# and keep its behaviour:
                    ```python
                    def total(items):
                            for item in items:
                                    yield item.price * item.quantity
                    ```
                    """;

                public async Task RunAsync(ChatClient client, string question)
                {
                    await client.CompleteChatAsync(new SystemChatMessage(Tidy), new UserChatMessage(question));
                    await client.CompleteChatAsync(new SystemChatMessage(WithCode), new UserChatMessage(question));
                    await client.CompleteChatAsync(new SystemChatMessage(@"
                            Be brief.
                        "), new UserChatMessage(question));
                }
            }
            """";
        await Verify.VerifyAnalyzerAsync(source);
    }

    private static readonly string[] PolicyLines =
    {
        "You are the support assistant for Northwind Outfitters, an online store for hiking and camping gear.",
        "Answer questions about orders, shipping, returns and warranties using only the order data you are given.",
        "When the customer asks for a refund, check the order date against the thirty day return window first.",
        "Never promise a delivery date that the carrier has not confirmed, and say so when a date is only an estimate.",
        "If a question is about product safety or an injury, apologise and hand the conversation over to a person.",
    };

    private static string IndentedPolicySource(int indent) =>
        "using System.Threading.Tasks;\nusing OpenAI.Chat;\n\nclass Agent\n{\n"
        + "    public Task RunAsync(ChatClient client, string question) =>\n"
        + "        client.CompleteChatAsync(new SystemChatMessage({|#0:@\"\n"
        + string.Join("\n", PolicyLines.Select(line => new string(' ', indent) + line))
        + "\n\"|}), new UserChatMessage(question));\n}\n";

    private static string IndentedPolicy(int indent) =>
        "\n" + string.Join("\n", PolicyLines.Select(line => new string(' ', indent) + line)) + "\n";

    [Fact]
    public async Task ProsePromptCarryingSourceIndentation_IsReportedUnderTheShare()
    {
        // o200k encodes 16 spaces as one token: the share stays small, yet every line pays for nothing.
        string prompt = IndentedPolicy(16);
        int tokens = TokenCounter.Count(prompt).Value;
        int waste = tokens - TokenCounter.Count(WhitespaceNormalizer.Normalize(prompt)).Value;
        Assert.True(waste * 100 < 10 * tokens, $"the test needs a share under the default 10%: {waste} of {tokens}");

        await Verify.VerifyAnalyzerAsync(IndentedPolicySource(16), Verify.Diagnostic("TL4002").WithLocation(0).WithMessage(Message(prompt)));
    }

    [Fact]
    public async Task SharedIndentationUnderTheOption_OrTheOptionOff_IsNotReported()
    {
        await Verify.VerifyAnalyzerAsync(IndentedPolicySource(4).Replace("{|#0:", string.Empty).Replace("|}", string.Empty));
        await Verify.VerifyAnalyzerAsync(
            IndentedPolicySource(16).Replace("{|#0:", string.Empty).Replace("|}", string.Empty),
            "tokenlint.tl4002.min_shared_indent = 0");
        await Verify.VerifyAnalyzerAsync(
            IndentedPolicySource(16).Replace("{|#0:", string.Empty).Replace("|}", string.Empty),
            "tokenlint.tl4002.min_shared_indent = 20");
    }
}
