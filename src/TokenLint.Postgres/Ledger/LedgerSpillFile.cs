using System;
using System.IO;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// The ledger's local JSON Lines file for records the database could not take yet: appended to while the queue is
/// full, then moved aside (<c>&lt;path&gt;.replay</c>) and replayed, and deleted once every record in it is committed.
/// Created readable and writable by its owner only (mode 0600 on Unix): it names agents, sessions and models.
/// </summary>
/// <remarks>
/// Held open (with <see cref="JsonLinesTokenLedger"/>'s lock file) for the ledger's lifetime, so a second process
/// given the same path fails at start instead of sharing it.
/// </remarks>
internal sealed class LedgerSpillFile : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly object _gate = new();
    private JsonLinesTokenLedger? _writer;
    private bool _hasRecords;

    public LedgerSpillFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        ReplayPath = Path + ".replay";
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        _writer = Open();
        _hasRecords = new FileInfo(Path).Length > 0;
    }

    public string Path { get; }

    /// <summary>Where the spill file is moved while it is replayed; left behind by a crash mid-replay, it is replayed first.</summary>
    public string ReplayPath { get; }

    /// <summary>True when records wait in the file or in a replay left unfinished.</summary>
    public bool HasRecords
    {
        get
        {
            lock (_gate)
            {
                return _hasRecords || File.Exists(ReplayPath);
            }
        }
    }

    /// <summary>Appends <paramref name="record"/>; false after <see cref="Dispose"/>.</summary>
    /// <exception cref="IOException">The file could not be written (a full disk).</exception>
    public bool TryAppend(TokenUsageRecord record)
    {
        lock (_gate)
        {
            if (_writer is null)
            {
                return false;
            }

            _writer.Record(record);
            _hasRecords = true;
            return true;
        }
    }

    /// <summary>
    /// The file to replay now: an unfinished replay, else the spill file moved aside (new records start a fresh
    /// spill file); null when nothing waits.
    /// </summary>
    public string? TakeForReplay()
    {
        lock (_gate)
        {
            if (File.Exists(ReplayPath))
            {
                return ReplayPath;
            }

            if (!_hasRecords || _writer is null)
            {
                return null;
            }

            _writer.Dispose();
            _writer = null;
            File.Move(Path, ReplayPath);
            _hasRecords = false;
            _writer = Open();
            return ReplayPath;
        }
    }

    /// <summary>Deletes a replayed file: every record in it is committed.</summary>
    public void Replayed(string replayPath) => File.Delete(replayPath);

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private JsonLinesTokenLedger Open()
    {
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 (the umask cannot widen it), and narrowed if an older file was readable by others.
            var create = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, UnixCreateMode = OwnerOnly };
            using (new FileStream(Path, create))
            {
            }

            if (File.GetUnixFileMode(Path) != OwnerOnly)
            {
                File.SetUnixFileMode(Path, OwnerOnly);
            }
        }

        return new JsonLinesTokenLedger(Path);
    }
}
