using System;
using System.Buffers;
using System.IO;

namespace TokenLint.Cli.Usage;

/// <summary>Splits a JSON Lines file into lines without decoding it, so a reader pays only for the lines it parses.</summary>
internal static class JsonLines
{
    /// <summary>A line of the file, without its line break; <paramref name="terminated"/> is false for a last line with none.</summary>
    public delegate void LineHandler(ReadOnlySpan<byte> line, long lineNumber, bool terminated);

    public static void Read(string path, LineHandler onLine)
    {
        // Shared with a writer that may have the file open (a live ledger, a running Claude Code session).
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(1 << 20);
        var carried = new ArrayBufferWriter<byte>(4096);
        long lineNumber = 0;
        try
        {
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                int start = 0;
                while (start < read)
                {
                    int newline = chunk.AsSpan(start, read - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        carried.Write(chunk.AsSpan(start, read - start));
                        break;
                    }

                    var piece = chunk.AsSpan(start, newline);
                    lineNumber++;
                    if (carried.WrittenCount > 0)
                    {
                        carried.Write(piece);
                        onLine(TrimCarriageReturn(carried.WrittenSpan), lineNumber, terminated: true);
                        carried.Clear();
                    }
                    else
                    {
                        onLine(TrimCarriageReturn(piece), lineNumber, terminated: true);
                    }

                    start += newline + 1;
                }
            }

            if (carried.WrittenCount > 0)
            {
                onLine(TrimCarriageReturn(carried.WrittenSpan), ++lineNumber, terminated: false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[line.Length - 1] == (byte)'\r' ? line.Slice(0, line.Length - 1) : line;
}
