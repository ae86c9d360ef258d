using System;
using System.Text.Json;
using TokenLint.Runtime;

namespace TokenLint.Cli.Usage;

/// <summary>
/// Reads the lines of a Claude Code transcript (<c>~/.claude/projects/&lt;project&gt;/&lt;session&gt;.jsonl</c>). Each API call
/// is an assistant line whose <c>message.usage</c> holds Anthropic's counts: <c>input_tokens</c> (plain input, cached
/// tokens excluded), <c>cache_read_input_tokens</c>, <c>cache_creation_input_tokens</c> and, in newer versions,
/// <c>cache_creation.ephemeral_5m_input_tokens</c> / <c>ephemeral_1h_input_tokens</c>, the split that prices a
/// one-hour write at its own rate.
/// </summary>
internal static class ClaudeCodeTranscript
{
    /// <summary>What a line turned out to be.</summary>
    public enum LineKind
    {
        /// <summary>Valid JSON that is not a billed call (a user turn, a summary, a synthetic message).</summary>
        NotACall,
        Call,
        Damaged,
    }

    /// <summary>
    /// Parses one line. A call's <paramref name="callKey"/> is a 128-bit hash of its message id and request id, the pair
    /// that identifies a call Claude Code logged more than once (resumed sessions copy earlier turns), or null when the
    /// line lacks either id.
    /// </summary>
    public static LineKind Parse(ReadOnlySpan<byte> line, string? fallbackProject, out UsageCall call, out UInt128? callKey, out string? problem)
    {
        call = default;
        callKey = null;
        problem = null;
        try
        {
            return ParseCore(line, fallbackProject, out call, out callKey, out problem);
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON ({FirstSentence(e.Message)})";
            return LineKind.Damaged;
        }
        catch (InvalidOperationException e)
        {
            problem = $"unexpected value ({FirstSentence(e.Message)})";
            return LineKind.Damaged;
        }
        catch (FormatException e)
        {
            problem = $"unexpected value ({FirstSentence(e.Message)})";
            return LineKind.Damaged;
        }
    }

    private static LineKind ParseCore(ReadOnlySpan<byte> line, string? fallbackProject, out UsageCall call, out UInt128? callKey, out string? problem)
    {
        call = default;
        callKey = null;
        problem = null;
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            problem = "not a JSON object";
            return LineKind.Damaged;
        }

        bool assistant = false;
        var message = default(MessageFields);
        string? requestId = null;
        string? session = null;
        string? cwd = null;
        DateTimeOffset? timestamp = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                assistant = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("assistant"u8);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    message = ReadMessage(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                reader.Read();
                requestId = OptionalString(ref reader);
            }
            else if (reader.ValueTextEquals("sessionId"u8))
            {
                reader.Read();
                session = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("cwd"u8))
            {
                reader.Read();
                cwd = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestamp = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value) ? value : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the object (a second record glued on, a torn tail) is damage, not a call.
        if (reader.Read())
        {
            problem = "text after the JSON object";
            return LineKind.Damaged;
        }

        if (!assistant || !message.HasUsage)
        {
            return LineKind.NotACall;
        }

        // "<synthetic>" marks messages Claude Code made up itself (an interruption, an error): no API call was billed.
        if (message.Model is null || message.Model == "<synthetic>")
        {
            return LineKind.NotACall;
        }

        if (timestamp is null)
        {
            problem = "an assistant call without a readable \"timestamp\"";
            return LineKind.Damaged;
        }

        call = new UsageCall(timestamp.Value.ToUniversalTime(), message.Model, cwd ?? fallbackProject, session, message.Tokens, RecordedCostUsd: null);
        if (message.Id is { Length: > 0 } && requestId is { Length: > 0 })
        {
            callKey = Usage.CallKey.Of(message.Id, requestId);
        }

        return LineKind.Call;
    }

    private struct MessageFields
    {
        public string? Model;
        public string? Id;
        public bool HasUsage;
        public TokenCounts Tokens;
    }

    private static MessageFields ReadMessage(ref Utf8JsonReader reader)
    {
        var fields = default(MessageFields);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                fields.Model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                fields.Id = OptionalString(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    fields.HasUsage = true;
                    fields.Tokens = ReadUsage(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return fields;
    }

    private static TokenCounts ReadUsage(ref Utf8JsonReader reader)
    {
        long input = 0, output = 0, cacheRead = 0, cacheCreation = 0, write5m = 0, write1h = 0;
        bool split = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                input = Count(ref reader);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                output = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                cacheRead = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                cacheCreation = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("ephemeral_5m_input_tokens"u8))
                    {
                        write5m = Count(ref reader);
                        split = true;
                    }
                    else if (reader.ValueTextEquals("ephemeral_1h_input_tokens"u8))
                    {
                        write1h = Count(ref reader);
                        split = true;
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Without the TTL split every write is priced at the 5-minute rate (what the API bills by default). With it, the
        // one-hour part is priced at its own rate and the rest of the total stays 5-minute.
        long writes = split ? Math.Max(cacheCreation, write5m + write1h) : cacheCreation;
        long oneHour = split ? write1h : 0;
        return new TokenCounts
        {
            InputTokens = input,
            CacheReadTokens = cacheRead,
            CacheWrite5mTokens = writes - oneHour,
            CacheWrite1hTokens = oneHour,
            OutputTokens = output,
        };
    }

    private static long Count(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        long value = reader.GetInt64();
        return value >= 0 ? value : throw new FormatException("a negative token count");
    }

    private static string? OptionalString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        return reader.GetString();
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message.Substring(0, end) : message.TrimEnd('.');
    }
}
