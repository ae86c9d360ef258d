namespace TokenLint.Postgres;

/// <summary>
/// Version 2: the fleet ledger, one row per metered call keyed by its record id, so a batch written twice (a retry
/// after a lost commit acknowledgement, a spill file replayed again after a crash) adds nothing the second time.
/// </summary>
internal sealed class Migration0002UsageLedger : PostgresMigration
{
    public override int Version => 2;

    public override string Description => "usage ledger";

    public override string Sql(PostgresMigrationContext context) => $"""
        CREATE TABLE {context.Table("usage_records")} (
            record_id uuid PRIMARY KEY,
            recorded_at timestamptz NOT NULL,
            model text,
            agents text[] NOT NULL,
            agent text,
            session text,
            task text,
            input_tokens bigint NOT NULL,
            cache_read_tokens bigint NOT NULL,
            cache_write_5m_tokens bigint NOT NULL,
            cache_write_1h_tokens bigint NOT NULL,
            output_tokens bigint NOT NULL,
            reasoning_tokens bigint NOT NULL,
            cost_usd numeric,
            usage_reported boolean NOT NULL,
            response_id text,
            streaming boolean NOT NULL,
            duration_ms double precision NOT NULL,
            written_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX {context.Object("usage_records_time")} ON {context.Table("usage_records")} (recorded_at);
        CREATE INDEX {context.Object("usage_records_session")} ON {context.Table("usage_records")} (session, recorded_at) WHERE session IS NOT NULL;
        """;
}
