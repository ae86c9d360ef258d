using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// The fleet's ledger: every metered call of every process as a row of one PostgreSQL table, written in batches by a
/// background task so a call never waits for the database. Each row is keyed by the call's
/// <see cref="TokenUsageRecord.RecordId"/>, so a batch sent twice counts once.
/// </summary>
/// <remarks>
/// <para>When the database cannot be reached, records wait in a bounded queue; when the queue is full they are
/// appended to a local spill file (owner-only), which is replayed once the database answers again and at the next
/// start, then deleted. A record is dropped only when the queue is full and the spill file cannot be written; each
/// drop is counted (<see cref="Statistics"/>, metric <c>tokenlint.ledger.dropped_records</c>) and logged.</para>
/// <para>Dispose it (<see cref="DisposeAsync"/>) at shutdown: it writes what is queued, and spills what it cannot.
/// One spill path per process.</para>
/// </remarks>
public sealed partial class PostgresTokenLedger : ITokenUsageSink, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresTokenLedgerOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<TokenUsageRecord> _queue;
    private readonly LedgerSpillFile _spill;
    private readonly UsageRecordBatchWriter _writer;
    private readonly UsageRecordQueries _queries;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _flushWaiters = new();
    private readonly Task _loop;
    private List<TokenUsageRecord> _batch = new();
    private long _recorded;
    private long _written;
    private long _alreadyWritten;
    private long _spilled;
    private long _replayed;
    private long _dropped;
    private int _queued;
    private volatile bool _reachable = true;
    private int _disposed;

    /// <param name="dataSource">The database; its schema must be migrated (<see cref="PostgresSchemaMigrator.MigrateAsync"/>).</param>
    /// <param name="spillPath">This process's spill file (created when missing; an existing one is replayed).</param>
    /// <param name="options">Queue, batch and timing settings.</param>
    /// <param name="logger">Where outages, spills and drops are reported.</param>
    /// <exception cref="System.IO.IOException">Another ledger (in this process or another) holds <paramref name="spillPath"/>.</exception>
    public PostgresTokenLedger(NpgsqlDataSource dataSource, string spillPath, PostgresTokenLedgerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _options = options ?? new PostgresTokenLedgerOptions();
        _options.Validate();
        _dataSource = dataSource;
        _logger = logger ?? NullLogger.Instance;
        _spill = new LedgerSpillFile(spillPath);
        _writer = new UsageRecordBatchWriter(dataSource, _options.Names);
        _queries = new UsageRecordQueries(dataSource, _options.Names);
        _queue = Channel.CreateBounded<TokenUsageRecord>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails when full: the record goes to the spill file
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The spill file's path.</summary>
    public string SpillPath => _spill.Path;

    public PostgresTokenLedgerStatistics Statistics => new(
        Interlocked.Read(ref _recorded), Interlocked.Read(ref _written), Interlocked.Read(ref _alreadyWritten),
        Interlocked.Read(ref _spilled), Interlocked.Read(ref _replayed), Interlocked.Read(ref _dropped),
        Volatile.Read(ref _queued), _reachable);

    /// <summary>Queues the record (never blocks on the database); a record without an id is given one here.</summary>
    public void Record(TokenUsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.RecordId is null)
        {
            record = record with { RecordId = Guid.NewGuid() };
        }

        Interlocked.Increment(ref _recorded);
        if (_queue.Writer.TryWrite(record))
        {
            if (Interlocked.Increment(ref _queued) % _options.BatchSize == 0)
            {
                Wake();
            }

            return;
        }

        Spill(record);
    }

    /// <summary>
    /// Waits until every record given before the call is committed (spill files included). While the database is
    /// away it waits for it; pass a token to give up.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushWaiters.Enqueue(done);
        Wake();
        return done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _stopping.Cancel();
        await _loop.ConfigureAwait(false);
        _spill.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Spill(TokenUsageRecord record)
    {
        try
        {
            if (_spill.TryAppend(record))
            {
                Interlocked.Increment(ref _spilled);
                PostgresLedgerMetrics.Spilled.Add(1);
                return;
            }
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            Drop(record, e);
            return;
        }

        Drop(record, null);
    }

    private void Drop(TokenUsageRecord record, Exception? error)
    {
        long dropped = Interlocked.Increment(ref _dropped);
        PostgresLedgerMetrics.Dropped.Add(1);
        // Every drop is counted; the log gets the first and then one line per thousand, so a broken disk cannot flood it.
        if (dropped == 1 || dropped % 1000 == 0)
        {
            LogDropped(_logger, record.RecordId, dropped, error);
        }
    }

    private async Task RunAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var flushes = TakeFlushWaiters();
            try
            {
                await DrainQueueAsync(CancellationToken.None).ConfigureAwait(false);
                await ReplaySpillAsync(CancellationToken.None).ConfigureAwait(false);
                Reachable(true, null);
                flushes.ForEach(f => f.TrySetResult());
            }
            catch (Exception e) when (IsDatabaseFailure(e))
            {
                Reachable(false, e);
                flushes.ForEach(_flushWaiters.Enqueue); // still waiting: answered after a later successful pass
                await Pause(_options.RetryDelay).ConfigureAwait(false);
                continue;
            }

            await Pause(_options.FlushInterval).ConfigureAwait(false);
        }

        await ShutDownAsync().ConfigureAwait(false);
    }

    private async Task ShutDownAsync()
    {
        using var timeout = new CancellationTokenSource(_options.ShutdownTimeout);
        try
        {
            await DrainQueueAsync(timeout.Token).ConfigureAwait(false);
            await ReplaySpillAsync(timeout.Token).ConfigureAwait(false);
            TakeFlushWaiters().ForEach(f => f.TrySetResult());
            return;
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            Reachable(false, e);
        }

        // The database is away at shutdown: what is unwritten goes to the spill file, replayed at the next start.
        foreach (var record in _batch)
        {
            Spill(record);
        }

        _batch.Clear();
        while (_queue.Reader.TryRead(out var record))
        {
            Interlocked.Decrement(ref _queued);
            Spill(record);
        }

        LogSpilledAtShutdown(_logger, Interlocked.Read(ref _spilled), _spill.Path, null);
        TakeFlushWaiters().ForEach(f => f.TrySetCanceled());
    }

    /// <summary>Writes queued records batch by batch; a batch that fails stays in <see cref="_batch"/> and is sent again.</summary>
    private async Task DrainQueueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (_batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var record))
            {
                Interlocked.Decrement(ref _queued);
                _batch.Add(record);
            }

            if (_batch.Count == 0)
            {
                return;
            }

            await WriteAsync(_batch, cancellationToken).ConfigureAwait(false);
            _batch = new List<TokenUsageRecord>(_options.BatchSize);
        }
    }

    /// <summary>Sends the spill file's records, then deletes the file: each record is committed once (the id sees to a repeat).</summary>
    private async Task ReplaySpillAsync(CancellationToken cancellationToken)
    {
        if (!_spill.HasRecords)
        {
            return;
        }

        if (!_reachable)
        {
            // Moved aside only once the database answers: during an outage the spill file stays one file.
            await using var ping = _dataSource.CreateCommand("SELECT 1");
            await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        while (_spill.HasRecords && _spill.TakeForReplay() is { } path)
        {
            var read = TokenLedgerFile.Read(path, LedgerDuplicates.ByRecordId);
            foreach (var problem in read.Problems)
            {
                if (!problem.Duplicate)
                {
                    LogSpillLineSkipped(_logger, problem.ToString(), null);
                }
            }

            for (int start = 0; start < read.Records.Count; start += _options.BatchSize)
            {
                var batch = new List<TokenUsageRecord>(_options.BatchSize);
                for (int i = start; i < Math.Min(read.Records.Count, start + _options.BatchSize); i++)
                {
                    var record = read.Records[i];
                    batch.Add(record.RecordId is null ? record with { RecordId = Guid.NewGuid() } : record);
                }

                await WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _replayed, batch.Count);
            }

            _spill.Replayed(path);
            LogReplayed(_logger, read.Records.Count, null);
        }
    }

    private async Task WriteAsync(List<TokenUsageRecord> batch, CancellationToken cancellationToken)
    {
        int inserted;
        try
        {
            inserted = await _writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal) && batch.Count > 1)
        {
            // A value the database refuses (a NUL character in a name, say) would fail the batch forever: write the
            // records one by one, and drop (counted, logged) only the ones refused.
            await WriteOneByOneAsync(batch, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            Drop(batch[0], e);
            return;
        }

        Reachable(true, null);
        Interlocked.Add(ref _written, inserted);
        Interlocked.Add(ref _alreadyWritten, batch.Count - inserted);
    }

    private async Task WriteOneByOneAsync(List<TokenUsageRecord> batch, CancellationToken cancellationToken)
    {
        foreach (var record in batch)
        {
            await WriteAsync([record], cancellationToken).ConfigureAwait(false);
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the queue write and here: the shutdown has already taken the record.
        }
    }

    private List<TaskCompletionSource> TakeFlushWaiters()
    {
        var waiters = new List<TaskCompletionSource>();
        while (_flushWaiters.TryDequeue(out var waiter))
        {
            waiters.Add(waiter);
        }

        return waiters;
    }

    private async Task Pause(TimeSpan delay)
    {
        try
        {
            await _wake.WaitAsync(delay, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposing: the loop ends and shuts down.
        }
    }

    private void Reachable(bool reachable, Exception? error)
    {
        if (_reachable == reachable)
        {
            return;
        }

        _reachable = reachable;
        if (reachable)
        {
            LogReachable(_logger, Volatile.Read(ref _queued), null);
        }
        else
        {
            LogUnreachable(_logger, Volatile.Read(ref _queued) + _batch.Count, _spill.Path, error);
        }
    }

    /// <summary>Failures that mean "try again later": the database is away, busy, or the write was cut short.</summary>
    private static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or TimeoutException or System.IO.IOException or OperationCanceledException or InvalidOperationException;

    [LoggerMessage(1, LogLevel.Warning, "The PostgreSQL ledger cannot reach the database; {Waiting} records wait in memory, and records beyond the queue go to {SpillPath}.")]
    private static partial void LogUnreachable(ILogger logger, int waiting, string spillPath, Exception? error);

    [LoggerMessage(2, LogLevel.Information, "The PostgreSQL ledger reaches the database again; {Waiting} queued records are being written.")]
    private static partial void LogReachable(ILogger logger, int waiting, Exception? error);

    [LoggerMessage(3, LogLevel.Error, "The PostgreSQL ledger dropped record {RecordId}: the database refused it, or its queue was full and the spill file could not be written ({Dropped} dropped so far).")]
    private static partial void LogDropped(ILogger logger, Guid? recordId, long dropped, Exception? error);

    [LoggerMessage(4, LogLevel.Information, "The PostgreSQL ledger replayed {Count} records from its spill file.")]
    private static partial void LogReplayed(ILogger logger, int count, Exception? error);

    [LoggerMessage(5, LogLevel.Warning, "A line of the ledger's spill file could not be read and was skipped: {Problem}")]
    private static partial void LogSpillLineSkipped(ILogger logger, string problem, Exception? error);

    [LoggerMessage(6, LogLevel.Warning, "The PostgreSQL ledger closed with the database away: {Spilled} records are in {SpillPath}, written at the next start.")]
    private static partial void LogSpilledAtShutdown(ILogger logger, long spilled, string spillPath, Exception? error);
}
