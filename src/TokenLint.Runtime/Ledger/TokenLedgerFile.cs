using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace TokenLint.Runtime;

/// <summary>Reads a JSON Lines ledger written by <see cref="JsonLinesTokenLedger"/>.</summary>
public static class TokenLedgerFile
{
    /// <summary>
    /// Every complete record of the file, in order. A line that cannot be read (a torn last line after a crash, or a
    /// damaged line) is skipped and reported with its line number; nothing before or after it is lost. A record with
    /// the record id of an earlier one (the same record written twice), or its model and response id (a call metered
    /// twice, say by two metering clients in one pipeline), is reported and counted once. Files written before
    /// records had ids read as before, with <see cref="TokenUsageRecord.RecordId"/> null.
    /// </summary>
    public static LedgerReadResult Read(string path) => Read(path, LedgerDuplicates.ByRecordOrResponseId);

    /// <summary>
    /// Every complete record of the file, in order, as <see cref="Read(string)"/> reads them, with repeats told by
    /// <paramref name="duplicates"/>.
    /// </summary>
    public static LedgerReadResult Read(string path, LedgerDuplicates duplicates)
    {
        var records = new List<TokenUsageRecord>();
        var problems = new List<LedgerProblem>();
        var seen = new SeenCalls(duplicates);
        // Shared with a writer that has the file open; read line by line, so a ledger of any size can be read.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
        var line = new ArrayBufferWriter<byte>(1024);
        byte[] chunk = new byte[64 * 1024];
        int lineNumber = 0;
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            int start = 0;
            while (start < read)
            {
                int newline = Array.IndexOf(chunk, (byte)'\n', start, read - start);
                if (newline < 0)
                {
                    line.Write(chunk.AsSpan(start, read - start));
                    break;
                }

                line.Write(chunk.AsSpan(start, newline - start));
                ReadLine(path, ++lineNumber, line.WrittenSpan, terminated: true, records, problems, seen);
                line.Clear();
                start = newline + 1;
            }
        }

        if (line.WrittenCount > 0)
        {
            ReadLine(path, ++lineNumber, line.WrittenSpan, terminated: false, records, problems, seen);
        }

        return new LedgerReadResult(records, problems);
    }

    private static void ReadLine(
        string path, int lineNumber, ReadOnlySpan<byte> line, bool terminated, List<TokenUsageRecord> records, List<LedgerProblem> problems,
        SeenCalls seen)
    {
        if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\r', (byte)'\t') < 0)
        {
            return;
        }

        TokenUsageRecord record;
        try
        {
            record = Parse(line);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            // Unterminated and unreadable: the writer died mid-line. A bad line with a newline after it is damage.
            bool torn = !terminated;
            problems.Add(new LedgerProblem(path, lineNumber, torn,
                torn ? "the last line is incomplete (the writer stopped mid-record); skipped" : $"unreadable record ({e.Message}); skipped"));
            return;
        }

        if (seen.FirstLineOf(record, lineNumber) is { } first)
        {
            problems.Add(new LedgerProblem(path, lineNumber, Torn: false, $"the same call as line {first.Line} ({first.By}); counted once") { Duplicate = true });
            return;
        }

        records.Add(record);
    }

    /// <summary>The lines already read, by record id and by model and response id.</summary>
    private sealed class SeenCalls(LedgerDuplicates duplicates)
    {
        private readonly Dictionary<Guid, int> _byRecordId = new();
        private readonly Dictionary<(string? Model, string ResponseId), int> _byResponseId = new();

        /// <summary>The earlier line holding the same call, or null after noting this one.</summary>
        public (int Line, string By)? FirstLineOf(TokenUsageRecord record, int lineNumber)
        {
            if (record.RecordId is Guid id && _byRecordId.TryGetValue(id, out int sameRecord))
            {
                return (sameRecord, "record id");
            }

            bool byResponse = duplicates == LedgerDuplicates.ByRecordOrResponseId;
            if (byResponse && record.ResponseId is { } responseId && _byResponseId.TryGetValue((record.Model, responseId), out int sameResponse))
            {
                return (sameResponse, "model and response id");
            }

            if (record.RecordId is Guid newId)
            {
                _byRecordId[newId] = lineNumber;
            }

            if (byResponse && record.ResponseId is { } newResponseId)
            {
                _byResponseId[(record.Model, newResponseId)] = lineNumber;
            }

            return null;
        }
    }

    internal static void Write(Utf8JsonWriter writer, TokenUsageRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("ts", record.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (record.RecordId is Guid id)
        {
            // After "ts", which stays first: readers tell a TokenLint ledger by its first field.
            writer.WriteString("id", id.ToString("D", CultureInfo.InvariantCulture));
        }

        WriteOptional(writer, "model", record.Model);
        if (record.Agents.Count > 0)
        {
            writer.WriteStartArray("agents");
            foreach (string agent in record.Agents)
            {
                writer.WriteStringValue(agent);
            }

            writer.WriteEndArray();
        }

        WriteOptional(writer, "session", record.Session);
        WriteOptional(writer, "task", record.Task);
        var tokens = record.Tokens;
        writer.WriteNumber("input", tokens.InputTokens);
        writer.WriteNumber("cache_read", tokens.CacheReadTokens);
        writer.WriteNumber("cache_write_5m", tokens.CacheWrite5mTokens);
        writer.WriteNumber("cache_write_1h", tokens.CacheWrite1hTokens);
        writer.WriteNumber("output", tokens.OutputTokens);
        writer.WriteNumber("reasoning", tokens.ReasoningTokens);
        if (record.CostUsd is decimal cost)
        {
            writer.WriteNumber("cost_usd", cost);
        }
        else
        {
            writer.WriteNull("cost_usd");
        }

        if (!record.UsageReported)
        {
            writer.WriteBoolean("usage_reported", false);
        }

        WriteOptional(writer, "response_id", record.ResponseId);
        if (record.Streaming)
        {
            writer.WriteBoolean("streaming", true);
        }

        writer.WriteNumber("duration_ms", Math.Round(record.Duration.TotalMilliseconds, 3));
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static TokenUsageRecord Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a record must be a JSON object");
        }

        string[] agents = Array.Empty<string>();
        if (root.TryGetProperty("agents", out var agentArray))
        {
            agents = new string[agentArray.GetArrayLength()];
            int i = 0;
            foreach (var agent in agentArray.EnumerateArray())
            {
                agents[i++] = agent.GetString() ?? throw new FormatException("agent names must be strings");
            }
        }

        return new TokenUsageRecord
        {
            RecordId = Optional(root, "id") is { } id ? Guid.ParseExact(id, "D") : null,
            Timestamp = DateTimeOffset.Parse(RequiredString(root, "ts"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Model = Optional(root, "model"),
            Agents = agents,
            Session = Optional(root, "session"),
            Task = Optional(root, "task"),
            Tokens = new TokenCounts
            {
                InputTokens = Required(root, "input").GetInt64(),
                CacheReadTokens = Required(root, "cache_read").GetInt64(),
                CacheWrite5mTokens = Required(root, "cache_write_5m").GetInt64(),
                CacheWrite1hTokens = Required(root, "cache_write_1h").GetInt64(),
                OutputTokens = Required(root, "output").GetInt64(),
                ReasoningTokens = root.TryGetProperty("reasoning", out var reasoning) ? reasoning.GetInt64() : 0,
            },
            CostUsd = Required(root, "cost_usd") is { ValueKind: JsonValueKind.Number } cost ? cost.GetDecimal() : null,
            UsageReported = !root.TryGetProperty("usage_reported", out var reported) || reported.GetBoolean(),
            ResponseId = Optional(root, "response_id"),
            Streaming = root.TryGetProperty("streaming", out var streaming) && streaming.GetBoolean(),
            Duration = root.TryGetProperty("duration_ms", out var duration) ? TimeSpan.FromMilliseconds(duration.GetDouble()) : TimeSpan.Zero,
        };
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new FormatException($"\"{name}\" is missing");

    private static string RequiredString(JsonElement root, string name) =>
        Required(root, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : throw new FormatException($"\"{name}\" must be a string");

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Which records of a ledger file <see cref="TokenLedgerFile.Read(string, LedgerDuplicates)"/> counts once.</summary>
public enum LedgerDuplicates
{
    /// <summary>A repeated record id, or a repeated model and response id (one call metered twice): for reports.</summary>
    ByRecordOrResponseId = 0,

    /// <summary>
    /// Only a repeated record id: every record a metering client produced, as a store that keys on record ids would
    /// keep them (a spill file replayed into the PostgreSQL ledger).
    /// </summary>
    ByRecordId,
}

/// <summary>The records of a ledger file and the lines that could not be read.</summary>
public sealed record LedgerReadResult(IReadOnlyList<TokenUsageRecord> Records, IReadOnlyList<LedgerProblem> Problems);

/// <summary>A line of a ledger file that was skipped, and why.</summary>
/// <param name="Path">The ledger file.</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Message">What was wrong with the line.</param>
/// <param name="Torn">True for an incomplete last line, the mark of a writer that stopped mid-record.</param>
public sealed record LedgerProblem(string Path, int Line, bool Torn, string Message)
{
    /// <summary>True for a record of a call already read (same model and response id): counted once, not damage.</summary>
    public bool Duplicate { get; init; }

    public override string ToString() => $"{Path}({Line}): {Message}";
}
