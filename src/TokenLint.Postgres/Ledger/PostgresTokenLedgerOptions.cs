using System;

namespace TokenLint.Postgres;

/// <summary>Settings of <see cref="PostgresTokenLedger"/>.</summary>
public sealed class PostgresTokenLedgerOptions
{
    /// <summary>Where the tables are (the names the schema was migrated with).</summary>
    public PostgresSchemaNames Names { get; set; } = PostgresSchemaNames.Default;

    /// <summary>
    /// Records held in memory waiting for the database (default 10,000, about 2 MB). When it is full, further
    /// records go to the spill file.
    /// </summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Records per INSERT (default 500).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long a record may wait before it is written (default 1 s): the queue is written at this interval, and
    /// sooner once a batch is full.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait before trying again after the database could not be reached (default 2 s).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long disposing may spend writing what is queued (default 10 s); what is still unwritten then goes to the
    /// spill file, replayed at the next start.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Names);
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FlushInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero);
    }
}
