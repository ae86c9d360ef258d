namespace TokenLint.Postgres;

/// <summary>What a <see cref="PostgresTokenLedger"/> did with the records it was given, since it was created.</summary>
/// <param name="Recorded">Records handed to <see cref="PostgresTokenLedger.Record"/>.</param>
/// <param name="Written">Rows inserted into the database (replayed ones included).</param>
/// <param name="AlreadyWritten">Records whose id the table already held (a retried batch, a replay run twice): not counted again.</param>
/// <param name="Spilled">Records written to the spill file because the queue was full or the ledger was closing with the database away.</param>
/// <param name="Replayed">Records read back from a spill file and sent to the database.</param>
/// <param name="Dropped">Records lost: the queue was full and the spill file could not be written. Each is logged.</param>
/// <param name="Queued">Records in memory now, waiting for the database.</param>
/// <param name="DatabaseReachable">False since the last write failed, until one succeeds.</param>
public readonly record struct PostgresTokenLedgerStatistics(
    long Recorded, long Written, long AlreadyWritten, long Spilled, long Replayed, long Dropped, int Queued, bool DatabaseReachable);
