using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// <see cref="InMemoryTokenLedger"/>'s queries over every process's committed records, computed in the database.
/// A period runs from <c>since</c> (included) to <c>until</c> (excluded) by the calls' timestamps; null leaves that
/// end open. Records still queued or spilled are not in the answers until they are written (<see cref="FlushAsync"/>).
/// </summary>
public sealed partial class PostgresTokenLedger
{
    /// <summary>Every committed call in the period.</summary>
    public Task<ScopeSpend> TotalsAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        _queries.TotalsAsync(since, until, cancellationToken);

    /// <summary>Spend per agent: a call made by agent B inside agent A counts for both (once each), as in <see cref="InMemoryTokenLedger.ByAgent"/>.</summary>
    public Task<IReadOnlyList<SpendGroup>> ByAgentAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        _queries.ByAgentAsync(since, until, cancellationToken);

    /// <summary>Spend per innermost agent: the groups add up to the total.</summary>
    public Task<IReadOnlyList<SpendGroup>> ByInnermostAgentAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        _queries.ByInnermostAgentAsync(since, until, cancellationToken);

    public Task<IReadOnlyList<SpendGroup>> BySessionAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        _queries.BySessionAsync(since, until, cancellationToken);

    public Task<IReadOnlyList<SpendGroup>> ByModelAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        _queries.ByModelAsync(since, until, cancellationToken);

    /// <summary>Session cost percentiles (nearest rank, as <see cref="InMemoryTokenLedger.SessionCosts"/>) and the costliest 1%'s share.</summary>
    public Task<SessionCostDistribution> SessionCostsAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        _queries.SessionCostsAsync(since, until, cancellationToken);
}
