using System;

namespace TokenLint.Postgres;

/// <summary>Settings of a <see cref="PostgresBudgetStore"/>.</summary>
public sealed class PostgresBudgetStoreOptions
{
    /// <summary>Schema and table prefix of the tables; the defaults unless set.</summary>
    public PostgresSchemaNames Names { get; set; } = PostgresSchemaNames.Default;

    /// <summary>
    /// The name the accounts are filed under: processes that use the same name share their limits' accounts. Give two
    /// unrelated applications on one database different names (or table prefixes).
    /// </summary>
    public string BudgetName { get; set; } = "default";

    /// <summary>
    /// How long a reservation holds without its process: a process that dies mid-call (killed, crashed, cut off) has
    /// its reservations released this long after it last renewed them. A live call renews its lease every third of
    /// it, so a call may last longer than its lease. Default one minute.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long reserving may wait for the database before the store counts it as unreachable. Default 5 seconds.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// False (the default): when the database cannot be reached, calls are refused with
    /// <c>BudgetStoreUnavailableException</c>. True: they are sent unchecked, each logged as an error, and their
    /// spend is written to the accounts when they end if the database is back by then.
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>Migrate the schema on first use (default); false when an administrator runs the migrator.</summary>
    public bool MigrateOnFirstUse { get; set; } = true;
}
