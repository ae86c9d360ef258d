using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TokenLint.Runtime;

namespace TokenLint.Postgres;

/// <summary>
/// A <see cref="ITokenBudgetStore"/> in PostgreSQL: every process that uses the same database and
/// <see cref="PostgresBudgetStoreOptions.BudgetName"/> shares each limit's accounts, so a cap holds for the fleet.
/// </summary>
/// <remarks>
/// Reserving is one short transaction: each account's row is raised by a conditional <c>UPDATE</c> that passes only
/// while spend, reservations and the estimate stay within the cap (no read-then-write race), and a leased reservation
/// row is written. Settling, another, replaces the reservation by the spend. Accounts are locked in one order, so
/// concurrent calls never deadlock. Period boundaries are taken from the database's clock, so processes on machines
/// whose clocks differ still change periods together. A lease not renewed (its process died) is released by the next
/// call that reserves against the account.
/// </remarks>
public sealed class PostgresBudgetStore : ITokenBudgetStore, IAsyncDisposable
{
    private static readonly Action<ILogger, string, string, string, Exception?> s_unavailable = LoggerMessage.Define<string, string, string>(
        LogLevel.Error, new EventId(40, "BudgetStoreUnavailable"),
        "The budget store ({Store}) could not be reached ({Error}); {Consequence}");

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresBudgetStoreOptions _options;
    private readonly ILogger _logger;
    private readonly PostgresBudgetSql _sql;
    private readonly string _described;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private volatile bool _migrated;

    /// <param name="dataSource">The database; its connection string is never logged or put in an exception.</param>
    /// <param name="options">Schema, budget name, lease, failure mode.</param>
    /// <param name="logger">Where unreachable-database errors and lease renewals that failed go.</param>
    public PostgresBudgetStore(NpgsqlDataSource dataSource, PostgresBudgetStoreOptions? options = null, ILogger<PostgresBudgetStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _options = options ?? new PostgresBudgetStoreOptions();
        if (_options.Lease < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.Lease, "A lease shorter than a second would expire under live calls.");
        }

        ArgumentException.ThrowIfNullOrEmpty(_options.BudgetName, nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _sql = new PostgresBudgetSql(_options.Names);
        _described = Describe(dataSource);
    }

    /// <summary>Makes the schema current now rather than on the first call.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => EnsureMigratedAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<BudgetReservation> ReserveAsync(IReadOnlyList<BudgetCharge> charges, BudgetAmount estimate, string? model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        if (charges.Count == 0)
        {
            return new BudgetReservation(charges, estimate);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.OperationTimeout);
        try
        {
            await EnsureMigratedAsync(timeout.Token).ConfigureAwait(false);
            var ordered = Ordered(charges);
            var id = Guid.NewGuid();
            long[] accounts = await PostgresRetry.OnConflictAsync(
                () => ReserveInDatabaseAsync(id, ordered, estimate, model, timeout.Token)).ConfigureAwait(false);
            return new PostgresBudgetLease(this, charges, estimate, id, accounts, _options.Lease);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            if (_options.FailOpen)
            {
                s_unavailable(_logger, _described, e.GetType().Name, "the call is sent without a budget check (fail-open)", null);
                return new BudgetReservation(charges, estimate);
            }

            s_unavailable(_logger, _described, e.GetType().Name, "the call is refused (fail-closed)", null);
            throw new BudgetStoreUnavailableException(_described, e);
        }
    }

    /// <inheritdoc />
    public async ValueTask SettleAsync(BudgetReservation reservation, BudgetAmount spent)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Charges.Count == 0)
        {
            return;
        }

        var lease = reservation as PostgresBudgetLease;
        lease?.StopRenewing();
        // The call has happened: its spend is written even when the caller has given up, within a bounded wait.
        using var timeout = new CancellationTokenSource(_options.OperationTimeout);
        try
        {
            await PostgresRetry.OnConflictAsync(async () =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
                await using var batch = lease is not null
                    ? _sql.Settle(connection, lease.Id, lease.AccountIds, spent)
                    : _sql.AddSpend(connection, _options.BudgetName, Ordered(reservation.Charges), spent);
                await batch.ExecuteNonQueryAsync(timeout.Token).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, CancellationToken.None))
        {
            s_unavailable(_logger, _described, e.GetType().Name,
                $"a call's spend ({spent.Tokens} tokens, ${spent.Dollars}) was not added to its accounts; its reservation is released when its lease ends", null);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<BudgetAccount> GetAccounts(IReadOnlyList<BudgetLimit> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        EnsureMigratedAsync(CancellationToken.None).GetAwaiter().GetResult();
        var byId = limits.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var accounts = new List<BudgetAccount>();
        using var connection = _dataSource.OpenConnection();
        using var command = _sql.CurrentAccounts(connection, _options.BudgetName);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (byId.TryGetValue(reader.GetString(0), out var limit))
            {
                string key = reader.GetString(1);
                accounts.Add(new BudgetAccount(limit.Scope, key.Length == 0 ? null : key, limit.MaxTokens, limit.MaxDollars,
                    reader.GetInt64(2), reader.GetDecimal(3), reader.GetInt64(4), reader.GetDecimal(5)));
            }
        }

        return accounts;
    }

    public ValueTask DisposeAsync()
    {
        _migrationGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Pushes a live call's lease forward; false when the lease had already ended and been released.</summary>
    internal async Task<bool> RenewAsync(Guid id)
    {
        using var timeout = new CancellationTokenSource(_options.OperationTimeout);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(timeout.Token).ConfigureAwait(false);
            await using var command = _sql.Renew(connection, id, _options.Lease);
            return await command.ExecuteNonQueryAsync(timeout.Token).ConfigureAwait(false) > 0;
        }
        catch (Exception e) when (IsUnreachable(e, CancellationToken.None))
        {
            s_unavailable(_logger, _described, e.GetType().Name, "a live call's lease was not renewed and may be released before the call ends", null);
            return true;
        }
    }

    private async Task<long[]> ReserveInDatabaseAsync(Guid id, BudgetCharge[] charges, BudgetAmount estimate, string? model, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var accounts = new long[charges.Length];
        try
        {
            await using var batch = _sql.Reserve(connection, _options.BudgetName, charges, id, estimate, _options.Lease);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            // The reservation inserts return (account id, charge index) for each account whose cap held.
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.FieldCount == 2)
                    {
                        accounts[reader.GetInt32(1)] = reader.GetInt64(0);
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (PostgresException e) when (PostgresBudgetSql.Refused(e))
        {
            int refused = Math.Max(0, Array.IndexOf(accounts, 0L));
            throw await RefusalAsync(connection, charges[refused], estimate, model, cancellationToken).ConfigureAwait(false);
        }

        return accounts;
    }

    private async Task<TokenBudgetExceededException> RefusalAsync(
        NpgsqlConnection connection, BudgetCharge charge, BudgetAmount estimate, string? model, CancellationToken cancellationToken)
    {
        long spentTokens = 0, reservedTokens = 0;
        decimal spentDollars = 0, reservedDollars = 0;
        await using (var command = _sql.Account(connection, _options.BudgetName, charge))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            // No row: the batch that would have created the account was rolled back with the refusal (a cap of 0).
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (spentTokens, spentDollars, reservedTokens, reservedDollars) = (reader.GetInt64(0), reader.GetDecimal(1), reader.GetInt64(2), reader.GetDecimal(3));
            }
        }

        bool tokens = charge.Limit.MaxTokens is long cap && (cap == 0 || spentTokens + reservedTokens + estimate.Tokens > cap);
        return tokens
            ? new TokenBudgetExceededException(charge, BudgetUnit.Tokens, spentTokens, reservedTokens, estimate.Tokens, model)
            : new TokenBudgetExceededException(charge, BudgetUnit.Dollars, spentDollars, reservedDollars, estimate.Dollars, model);
    }

    private async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (_migrated || !_options.MigrateOnFirstUse)
        {
            return;
        }

        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await PostgresSchemaMigrator.MigrateAsync(_dataSource, _options.Names, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migrationGate.Release();
        }
    }

    /// <summary>Accounts in one order for every process (limit id, then key), so two calls never lock them crosswise.</summary>
    private static BudgetCharge[] Ordered(IReadOnlyList<BudgetCharge> charges) =>
        charges.OrderBy(c => c.Limit.Id, StringComparer.Ordinal).ThenBy(c => c.Key, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Whether <paramref name="e"/> means the database could not answer (down, unreachable, too slow), as opposed to a
    /// refusal or the caller's own cancellation.
    /// </summary>
    private static bool IsUnreachable(Exception e, CancellationToken callerToken) => e switch
    {
        TokenGuardException => false,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or System.IO.IOException => true,
        _ => false,
    };

    /// <summary>Host, port and database: enough to find the server, nothing that lets anyone in.</summary>
    private static string Describe(NpgsqlDataSource dataSource)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"PostgreSQL at {builder.Host}:{builder.Port}, database {builder.Database ?? builder.Username}";
    }
}
