using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using TokenLint.Cli.Report;
using TokenLint.Runtime;

namespace TokenLint.Cli.Usage;

/// <summary>
/// Finds usage logs (TokenLint JSON Lines ledgers and Claude Code transcripts, told apart by their first record) and
/// reads them into a <see cref="UsageCollector"/>, two files at a time: each file is parsed on its own, then its calls
/// are added under one lock, so memory holds at most a few files' calls.
/// </summary>
internal static class UsageLogReader
{
    /// <summary>Where Claude Code keeps its transcripts: <c>$CLAUDE_CONFIG_DIR/projects</c>, else <c>~/.claude/projects</c> and <c>~/.config/claude/projects</c>.</summary>
    public static IReadOnlyList<string> DefaultTranscriptFolders()
    {
        if (Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR") is { Length: > 0 } configured)
        {
            return configured.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "projects")).ToArray();
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new[] { Path.Combine(home, ".claude", "projects"), Path.Combine(home, ".config", "claude", "projects") };
    }

    /// <summary>The <c>*.jsonl</c> files of the given files and folders (folders searched recursively), each once, in a stable order.</summary>
    public static IReadOnlyList<string> FindFiles(IEnumerable<string> paths, out IReadOnlyList<string> missing)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var notFound = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(Path.GetFullPath(path));
            }
            else if (Directory.Exists(path))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
                foreach (string file in Directory.EnumerateFiles(path, "*.jsonl", options))
                {
                    files.Add(Path.GetFullPath(file));
                }
            }
            else
            {
                notFound.Add(path);
            }
        }

        missing = notFound;
        return files.ToArray();
    }

    /// <summary>
    /// Reads the files a few at a time in parallel and adds each file's calls in the order of <paramref name="files"/>,
    /// so the result (which copy of a call logged twice is kept, and so its session) does not depend on timing.
    /// </summary>
    public static void ReadAll(IReadOnlyList<string> files, UsageCollector collector)
    {
        int width = Math.Max(1, Environment.ProcessorCount) * 2;
        var batches = new FileBatch[width];
        for (int start = 0; start < files.Count; start += width)
        {
            int count = Math.Min(width, files.Count - start);
            Parallel.For(0, count, i => batches[i] = ReadFile(files[start + i]));
            for (int i = 0; i < count; i++)
            {
                Merge(batches[i], collector);
                batches[i] = null!;
            }
        }
    }

    private static void Merge(FileBatch batch, UsageCollector collector)
    {
        collector.FilesRead++;
        collector.LinesRead += batch.Lines;
        foreach (var (call, key) in batch.Calls)
        {
            collector.Add(call, key);
        }

        for (long i = 0; i < batch.Duplicates; i++)
        {
            collector.CountDuplicate();
        }

        collector.CallsWithoutUsage += batch.CallsWithoutUsage;
        foreach (var problem in batch.Problems)
        {
            collector.AddProblem(problem);
        }
    }

    private sealed class FileBatch
    {
        public List<(UsageCall Call, UInt128? Key)> Calls { get; } = new();

        public List<UsageProblem> Problems { get; } = new();

        public long Lines { get; set; }

        public long Duplicates { get; set; }

        public long CallsWithoutUsage { get; set; }
    }

    private static FileBatch ReadFile(string path)
    {
        var batch = new FileBatch();
        try
        {
            if (IsTokenLintLedger(path))
            {
                ReadLedger(path, batch);
            }
            else
            {
                ReadTranscript(path, batch);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            batch.Problems.Add(new UsageProblem(path, 0, $"could not be read ({e.Message})"));
        }

        return batch;
    }

    private static void ReadTranscript(string path, FileBatch batch)
    {
        // Claude Code's folder per project is named after its working folder; "cwd" on each line says it exactly.
        string? project = Path.GetFileName(Path.GetDirectoryName(path));
        JsonLines.Read(path, (line, number, terminated) =>
        {
            batch.Lines = number;
            if (JsonLines.IsBlank(line))
            {
                return;
            }

            switch (ClaudeCodeTranscript.Parse(line, project, out var call, out var key, out string? problem))
            {
                case ClaudeCodeTranscript.LineKind.Call:
                    batch.Calls.Add((call, key));
                    break;
                case ClaudeCodeTranscript.LineKind.Damaged:
                    batch.Problems.Add(new UsageProblem(path, number, terminated ? problem! : $"{problem}; the last line is incomplete (the writer may still be writing it)"));
                    break;
            }
        });
    }

    private static void ReadLedger(string path, FileBatch batch)
    {
        var result = TokenLedgerFile.Read(path);
        foreach (var record in result.Records)
        {
            if (!record.UsageReported)
            {
                batch.CallsWithoutUsage++;
                continue;
            }

            string model = record.Model ?? "(unknown)";
            // The provider's response id names the call across ledgers; without one, the record id names the record,
            // so a ledger copied into two folders still counts once.
            UInt128? key = record.ResponseId is { } responseId ? CallKey.Of("ledger", model, responseId)
                : record.RecordId is Guid recordId ? CallKey.Of("ledger-record", recordId.ToString("N"))
                : null;
            batch.Calls.Add((new UsageCall(record.Timestamp.ToUniversalTime(), model, record.Agent, record.Session, record.Tokens, record.CostUsd), key));
        }

        foreach (var problem in result.Problems)
        {
            if (problem.Duplicate)
            {
                batch.Duplicates++;
            }
            else
            {
                batch.Problems.Add(new UsageProblem(problem.Path, problem.Line, problem.Message));
            }
        }

        batch.Lines = result.Records.Count + result.Problems.Count;
    }

    /// <summary>A TokenLint ledger's records start with <c>"ts"</c>; a Claude Code line has no such field.</summary>
    private static bool IsTokenLintLedger(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var text = new StreamReader(stream, Encoding.UTF8);
        string? line;
        while ((line = text.ReadLine()) is not null && string.IsNullOrWhiteSpace(line))
        {
        }

        if (line is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("ts", out _);
        }
        catch (JsonException)
        {
            // A damaged first line: read as a transcript, which reports it with its line number.
            return false;
        }
    }
}
