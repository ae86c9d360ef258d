using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>
/// The pre-flight size of a request: its prompt counted with OpenAI's o200k_base tokenizer (exact for current OpenAI
/// models), and its output at the request's limit, else a configured allowance, else the model's maximum, else a default.
/// </summary>
/// <remarks>
/// Other providers tokenize differently: for them the count is raised by <see cref="OtherProviderMargin"/>, the same
/// 1.25 margin the analyzers use for Claude, so a budget errs on the side of refusing. Images and other binary content
/// count <see cref="BinaryContentTokens"/> each. Reservations are replaced by the provider's reported usage when the
/// call ends, so the estimate only decides whether a call may start.
/// </remarks>
public sealed class RequestEstimator
{
    /// <summary>Per-message framing tokens (role and separators) that the text alone does not show.</summary>
    public const int MessageOverheadTokens = 4;

    public const double OtherProviderMargin = 1.25;

    public const int BinaryContentTokens = 1_600;

    private static readonly Lazy<Tokenizer> s_o200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <param name="unlimitedOutputTokens">
    /// Output reserved for a request without <c>MaxOutputTokens</c>. Null (the default) reserves the model's maximum,
    /// which never under-reserves but can refuse a call under a small cap; adapters often send a lower default of
    /// their own (the Anthropic adapter: 1,024), which is the number to put here.
    /// </param>
    /// <param name="defaultMaxOutputTokens">Output reserved when neither the request, this setting nor the catalog gives a limit.</param>
    public RequestEstimator(int? unlimitedOutputTokens = null, int defaultMaxOutputTokens = 4_096)
    {
        if (unlimitedOutputTokens is int unlimited)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(unlimited, nameof(unlimitedOutputTokens));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(defaultMaxOutputTokens);
        UnlimitedOutputTokens = unlimitedOutputTokens;
        DefaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    public int? UnlimitedOutputTokens { get; }

    public int DefaultMaxOutputTokens { get; }

    /// <summary>Input tokens of the messages, instructions and tool definitions, with the provider margin applied.</summary>
    public long EstimateInputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options, ModelPrice? price)
    {
        var tokenizer = s_o200k.Value;
        long tokens = 0;
        foreach (var message in messages)
        {
            tokens += MessageOverheadTokens;
            foreach (var content in message.Contents)
            {
                tokens += content switch
                {
                    TextContent text => Count(tokenizer, text.Text),
                    TextReasoningContent reasoning => Count(tokenizer, reasoning.Text),
                    FunctionCallContent call => Count(tokenizer, call.Name) + CountArguments(tokenizer, call.Arguments),
                    FunctionResultContent result => Count(tokenizer, result.Result?.ToString()),
                    DataContent or UriContent => BinaryContentTokens,
                    _ => 0,
                };
            }
        }

        if (options is not null)
        {
            tokens += Count(tokenizer, options.Instructions);
            if (options.Tools is { Count: > 0 } tools)
            {
                foreach (var tool in tools)
                {
                    tokens += Count(tokenizer, tool.Name) + Count(tokenizer, tool.Description);
                    if (tool is AIFunctionDeclaration function)
                    {
                        tokens += Count(tokenizer, function.JsonSchema.GetRawText());
                    }
                }
            }
        }

        bool openAI = string.Equals(price?.Provider, "openai", StringComparison.OrdinalIgnoreCase);
        return openAI ? tokens : (long)Math.Ceiling(tokens * OtherProviderMargin);
    }

    /// <summary>The output the call may produce: the request's limit, else <see cref="UnlimitedOutputTokens"/>, else the model's maximum, else the default.</summary>
    public long EstimateOutputTokens(ChatOptions? options, ModelPrice? price) =>
        options?.MaxOutputTokens ?? UnlimitedOutputTokens ?? price?.MaxOutputTokens ?? DefaultMaxOutputTokens;

    private static int Count(Tokenizer tokenizer, string? text) =>
        string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);

    private static long CountArguments(Tokenizer tokenizer, IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return 0;
        }

        long tokens = 0;
        foreach (var argument in arguments)
        {
            tokens += Count(tokenizer, argument.Key) + Count(tokenizer, argument.Value?.ToString()) + 2;
        }

        return tokens;
    }
}
