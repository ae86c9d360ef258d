using System.Diagnostics.Metrics;

namespace TokenLint.Postgres;

/// <summary>
/// The ledger's counters, on the meter <c>TokenLint.Postgres</c>, untagged: a drop is rare and must be seen, so it
/// is a counter an alert can watch, not only a log line.
/// </summary>
internal static class PostgresLedgerMetrics
{
    public const string MeterName = "TokenLint.Postgres";

    private static readonly Meter s_meter = new(MeterName);

    public static Counter<long> Spilled { get; } = s_meter.CreateCounter<long>(
        "tokenlint.ledger.spilled_records", "{record}", "Ledger records written to the local spill file because the database was away.");

    public static Counter<long> Dropped { get; } = s_meter.CreateCounter<long>(
        "tokenlint.ledger.dropped_records", "{record}", "Ledger records lost: the queue was full and the spill file could not be written.");
}
