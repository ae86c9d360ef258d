using System.Collections.Generic;

namespace TokenLint.Postgres;

/// <summary>Every migration, in version order. Append only: a new step goes at the end with the next version.</summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<PostgresMigration> All { get; } =
    [
        new Migration0001BudgetTables(),
        new Migration0002UsageLedger(),
        new Migration0003SemanticCache(),
    ];
}
