using System;
using System.Collections.Generic;
using TokenLint.Cli.Usage;

namespace TokenLint.Cli.Report;

/// <summary>
/// Adds calls up by UTC day, by day and model, by day and project, and by session and day, as they are read, and
/// drops calls logged twice. Memory grows with the number of distinct days, models, projects and sessions (and 16 bytes
/// per call id seen), never with the size of the logs. Not thread-safe: readers hand it one file's calls at a time.
/// </summary>
internal sealed class UsageCollector
{
    /// <summary>How many problems are kept with their text; the rest are only counted.</summary>
    public const int MaxProblemsKept = 200;

    private readonly CallPricer _pricer;
    private readonly HashSet<UInt128> _seenCalls = new();
    private readonly List<UsageProblem> _problems = new();

    public UsageCollector(CallPricer pricer) => _pricer = pricer;

    public Dictionary<DateOnly, UsageTotals> Days { get; } = new();

    public Dictionary<(DateOnly Day, string Model), UsageTotals> DayModels { get; } = new();

    public Dictionary<(DateOnly Day, string Project), UsageTotals> DayProjects { get; } = new();

    public Dictionary<(string Session, DateOnly Day), SessionDay> SessionDays { get; } = new();

    /// <summary>Calls of models with no price anywhere, by model.</summary>
    public SortedDictionary<string, long> UnpricedModels { get; } = new(StringComparer.Ordinal);

    public long FilesRead { get; set; }

    public long LinesRead { get; set; }

    /// <summary>Calls read again under an id already counted (Claude Code logs some calls more than once).</summary>
    public long DuplicateCalls { get; private set; }

    /// <summary>Ledger records of calls whose provider reported no usage: counted here, in no total.</summary>
    public long CallsWithoutUsage { get; set; }

    public long ProblemCount { get; private set; }

    public IReadOnlyList<UsageProblem> Problems => _problems;

    public DateTimeOffset? Newest { get; private set; }

    public DateTimeOffset? Oldest { get; private set; }

    public long Calls { get; private set; }

    /// <summary>Counts the call unless a call with the same key was counted before.</summary>
    public void Add(in UsageCall call, UInt128? key)
    {
        if (key is UInt128 id && !_seenCalls.Add(id))
        {
            DuplicateCalls++;
            return;
        }

        Calls++;
        var priced = _pricer.Price(call);
        if (priced.CostUsd is null)
        {
            UnpricedModels[call.Model] = UnpricedModels.TryGetValue(call.Model, out long n) ? n + 1 : 1;
        }

        var day = DateOnly.FromDateTime(call.Timestamp.UtcDateTime);
        Totals(Days, day).Add(priced);
        Totals(DayModels, (day, call.Model)).Add(priced);
        Totals(DayProjects, (day, call.Project ?? "")).Add(priced);
        if (call.Session is { Length: > 0 } session)
        {
            if (!SessionDays.TryGetValue((session, day), out var sessionDay))
            {
                sessionDay = new SessionDay(session, call.Project);
                SessionDays[(session, day)] = sessionDay;
            }

            sessionDay.Add(priced);
        }

        Newest = Newest is { } newest && newest >= call.Timestamp ? newest : call.Timestamp;
        Oldest = Oldest is { } oldest && oldest <= call.Timestamp ? oldest : call.Timestamp;
    }

    public void CountDuplicate() => DuplicateCalls++;

    public void AddProblem(UsageProblem problem)
    {
        ProblemCount++;
        if (_problems.Count < MaxProblemsKept)
        {
            _problems.Add(problem);
        }
    }

    private static UsageTotals Totals<TKey>(Dictionary<TKey, UsageTotals> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var totals))
        {
            totals = new UsageTotals();
            map[key] = totals;
        }

        return totals;
    }
}
