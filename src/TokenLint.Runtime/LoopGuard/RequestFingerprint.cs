using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime;

/// <summary>
/// A hash of what makes two requests the same call: the messages (roles, text, function calls and results, binary
/// content, other content by its JSON), the options that change the answer (model, instructions, sampling, limits,
/// stop sequences, response format and schema, tools and their schemas, additional properties), and the session and
/// agents it runs for (the same question from two users is not a loop).
/// </summary>
internal static class RequestFingerprint
{
    public static UInt128 Compute(IEnumerable<ChatMessage> messages, ChatOptions? options, TokenScope? scope) =>
        Compute(messages, options, scope, partitionKey: null, skip: null);

    /// <summary>
    /// The fingerprint with a caller's partition key added, and without one message (<paramref name="skip"/>, by
    /// reference): the semantic cache's partition is every part of the request but the question it matches by meaning.
    /// </summary>
    public static UInt128 Compute(IEnumerable<ChatMessage> messages, ChatOptions? options, TokenScope? scope, string? partitionKey, ChatMessage? skip)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var writer = new FingerprintWriter(hash);
        writer.Add(partitionKey);
        writer.Add(scope?.Session);
        if (scope is not null)
        {
            foreach (string agent in scope.AgentPath)
            {
                writer.Add(agent);
            }
        }

        foreach (var message in messages)
        {
            if (ReferenceEquals(message, skip))
            {
                // Its place still counts: [system, q] and [system, earlier answer, q] differ.
                writer.Add("skipped");
                continue;
            }

            writer.Add(message.Role.Value);
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        writer.Add("t", text.Text);
                        break;
                    case TextReasoningContent reasoning:
                        writer.Add("r", reasoning.Text);
                        break;
                    case FunctionCallContent call:
                        writer.Add("c", call.CallId, call.Name);
                        AddArguments(ref writer, call.Arguments);
                        break;
                    case FunctionResultContent result:
                        writer.Add("f", result.CallId, result.Result is null or string ? (string?)result.Result : Json(result.Result, typeof(object)));
                        break;
                    case DataContent data:
                        writer.Add("d", data.MediaType);
                        hash.AppendData(data.Data.Span);
                        break;
                    case UriContent uri:
                        writer.Add("u", uri.Uri.ToString(), uri.MediaType);
                        break;
                    default:
                        // Hosted files, tool approvals, content types added later: their JSON says what they hold.
                        writer.Add(content.GetType().Name, Json(content, typeof(AIContent)));
                        break;
                }
            }
        }

        if (options is not null)
        {
            writer.Add("o", options.ModelId, options.Instructions);
            writer.Add(Invariant(options.Temperature), Invariant(options.TopP), Invariant(options.MaxOutputTokens));
            writer.Add(Invariant(options.TopK), Invariant(options.FrequencyPenalty), Invariant(options.PresencePenalty));
            writer.Add(Invariant(options.Seed), options.ConversationId, options.ToolMode?.ToString());
            writer.Add(options.ResponseFormat?.GetType().Name, (options.ResponseFormat as ChatResponseFormatJson)?.Schema?.GetRawText());
            if (options.StopSequences is { } stops)
            {
                foreach (string stop in stops)
                {
                    writer.Add("s", stop);
                }
            }

            if (options.Tools is { } tools)
            {
                foreach (var tool in tools)
                {
                    writer.Add(tool.Name, tool.Description, (tool as AIFunctionDeclaration)?.JsonSchema.GetRawText());
                }
            }

            if (options.AdditionalProperties is { Count: > 0 } additional)
            {
                writer.Add("p", Json(additional, typeof(AdditionalPropertiesDictionary)));
            }
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new UInt128(BitConverter.ToUInt64(digest), BitConverter.ToUInt64(digest[8..]));
    }

    public static string ToHex(UInt128 fingerprint) => ((ulong)(fingerprint >> 64)).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>All 128 bits in hex: a key to store under, where a collision would serve a wrong answer.</summary>
    public static string ToKey(UInt128 fingerprint) => fingerprint.ToString("x32", CultureInfo.InvariantCulture);

    private static string? Invariant<T>(T? value) where T : struct, IFormattable =>
        value?.ToString(null, CultureInfo.InvariantCulture);

    private static void AddArguments(ref FingerprintWriter writer, IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return;
        }

        foreach (var argument in arguments)
        {
            writer.Add(argument.Key, argument.Value is null or string ? (string?)argument.Value : Json(argument.Value, typeof(object)));
        }
    }

    /// <summary>JSON by Microsoft.Extensions.AI's own serializer settings; the type name when a value cannot be serialised.</summary>
    private static string Json(object value, Type declaredType)
    {
        try
        {
            return JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(declaredType));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return value.GetType().FullName ?? "";
        }
    }

    /// <summary>Length-prefixed UTF-8 strings, so ("ab", "c") and ("a", "bc") hash differently.</summary>
    private readonly ref struct FingerprintWriter(IncrementalHash hash)
    {
        public void Add(string? a, string? b = null, string? c = null)
        {
            Append(a);
            Append(b);
            Append(c);
        }

        private void Append(string? value)
        {
            Span<byte> length = stackalloc byte[4];
            if (value is null)
            {
                BitConverter.TryWriteBytes(length, -1);
                hash.AppendData(length);
                return;
            }

            int byteCount = Encoding.UTF8.GetByteCount(value);
            BitConverter.TryWriteBytes(length, byteCount);
            hash.AppendData(length);
            byte[]? rented = null;
            Span<byte> bytes = byteCount <= 512 ? stackalloc byte[512] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(byteCount));
            int written = Encoding.UTF8.GetBytes(value, bytes);
            hash.AppendData(bytes[..written]);
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
