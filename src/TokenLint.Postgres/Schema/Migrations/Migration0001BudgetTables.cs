namespace TokenLint.Postgres;

/// <summary>Version 1: the fleet budget's accounts (one per limit, scope key and period) and their leased reservations.</summary>
internal sealed class Migration0001BudgetTables : PostgresMigration
{
    public override int Version => 1;

    public override string Description => "budget accounts and reservations";

    public override string Sql(PostgresMigrationContext context) => $"""
        CREATE TABLE {context.Table("budget_accounts")} (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            budget text NOT NULL,
            limit_id text NOT NULL,
            account_key text NOT NULL,
            period_start timestamptz NOT NULL,
            period_end timestamptz NOT NULL,
            spent_tokens bigint NOT NULL DEFAULT 0,
            spent_dollars numeric NOT NULL DEFAULT 0,
            reserved_tokens bigint NOT NULL DEFAULT 0,
            reserved_dollars numeric NOT NULL DEFAULT 0,
            CONSTRAINT {context.Object("budget_accounts_key")} UNIQUE (budget, limit_id, account_key, period_start)
        );
        CREATE TABLE {context.Table("budget_reservations")} (
            reservation_id uuid NOT NULL,
            account_id bigint NOT NULL REFERENCES {context.Table("budget_accounts")} (id) ON DELETE CASCADE,
            tokens bigint NOT NULL,
            dollars numeric NOT NULL,
            expires_at timestamptz NOT NULL,
            CONSTRAINT {context.Object("budget_reservations_key")} PRIMARY KEY (reservation_id, account_id)
        );
        CREATE INDEX {context.Object("budget_accounts_period_end")} ON {context.Table("budget_accounts")} (budget, period_end);
        CREATE INDEX {context.Object("budget_reservations_expiry")} ON {context.Table("budget_reservations")} (account_id, expires_at);
        """;
}
