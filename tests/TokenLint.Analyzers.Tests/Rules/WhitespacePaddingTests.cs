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
}
