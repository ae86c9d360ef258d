using System;
using System.Buffers;
using System.IO;
using System.Text.Json;

namespace TokenLint.Runtime;

/// <summary>
/// An append-only JSON Lines file of metered calls, one record per line, written and flushed as each call ends so a
/// crash loses at most the line being written. <see cref="TokenLedgerFile.Read(string)"/> reads it back, skipping and
/// reporting a torn last line. Holds counts, ids and hashes, never prompt or response text.
/// </summary>
/// <remarks>
/// One writer per file: the ledger holds <c>&lt;path&gt;.lock</c> exclusively while open, so a second writer (another
/// process, or a second instance in this one) fails when it opens the file instead of writing over the first's
/// records. Readers may read the file at any time.
/// </remarks>
public sealed class JsonLinesTokenLedger : ITokenUsageSink, IDisposable
{
    private readonly object _gate = new();
    private readonly FileStream _lock;
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly bool _flushToDisk;
    private bool _startOnNewLine;
    private bool _disposed;

    /// <param name="path">The ledger file; created if missing, appended to if not.</param>
    /// <param name="flushToDisk">
    /// Also ask the operating system to write each record to the disk (fsync). Off by default: every record is
    /// handed to the operating system as it is written, which survives a process crash; a power loss needs this on.
    /// </param>
    /// <exception cref="IOException">Another writer has the ledger open.</exception>
    public JsonLinesTokenLedger(string path, bool flushToDisk = false)
    {
        Path = System.IO.Path.GetFullPath(path);
        _flushToDisk = flushToDisk;
        try
        {
            _lock = new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e)
        {
            throw new IOException($"The token ledger '{Path}' is already open for writing (by another process or another JsonLinesTokenLedger): a ledger file takes one writer.", e);
        }

        try
        {
            _stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.None);
            if (!_stream.CanSeek)
            {
                throw new IOException($"The token ledger '{Path}' must be a regular file.");
            }

            // A crash mid-line leaves a torn last line: start on a fresh line so the next record is not glued to it.
            if (_stream.Length > 0)
            {
                _stream.Seek(-1, SeekOrigin.End);
                _startOnNewLine = _stream.ReadByte() != '\n';
            }

            _stream.Seek(0, SeekOrigin.End);
        }
        catch
        {
            _stream?.Dispose();
            _lock.Dispose();
            throw;
        }

        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    public string Path { get; }

    public void Record(TokenUsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _buffer.Clear();
            if (_startOnNewLine)
            {
                _buffer.GetSpan(1)[0] = (byte)'\n';
                _buffer.Advance(1);
            }

            _writer.Reset(_buffer);
            TokenLedgerFile.Write(_writer, record);
            _writer.Flush();
            _buffer.GetSpan(1)[0] = (byte)'\n';
            _buffer.Advance(1);
            try
            {
                _stream.Write(_buffer.WrittenSpan);
                _stream.Flush(_flushToDisk);
                _startOnNewLine = false;
            }
            catch (IOException)
            {
                // Part of the line may be on disk (a full disk): the next record starts on a line of its own, so
                // only this one is lost, and the reader reports it.
                _startOnNewLine = true;
                _stream.Seek(0, SeekOrigin.End);
                throw;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();
            _stream.Dispose();
            _lock.Dispose();
        }
    }
}
