using System;
using System.Globalization;

namespace TokenLint.Cli.Report;

/// <summary>Whole UTC days from <see cref="First"/> to <see cref="Last"/>, both included.</summary>
internal readonly record struct ReportPeriod(DateOnly First, DateOnly Last)
{
    /// <summary>How long a period is when only one end is given, and by default.</summary>
    public const int DefaultDays = 7;

    public int Days => Last.DayNumber - First.DayNumber + 1;

    /// <summary>The period of the same length that ends the day before this one starts.</summary>
    public ReportPeriod Previous => new(First.AddDays(-Days), First.AddDays(-1));

    public bool Contains(DateOnly day) => day >= First && day <= Last;

    /// <summary>
    /// The period a report covers: <paramref name="since"/> to <paramref name="until"/> when both are given; otherwise
    /// seven days ending at <paramref name="until"/>, or at the day of the newest call read (not today: a log copied from
    /// another machine or an old folder still gets a report of its last week).
    /// </summary>
    public static ReportPeriod Choose(DateOnly? since, DateOnly? until, DateOnly newestDay)
    {
        DateOnly last = until ?? (since is { } s && s > newestDay ? s.AddDays(DefaultDays - 1) : newestDay);
        DateOnly first = since ?? last.AddDays(-(DefaultDays - 1));
        return new ReportPeriod(first, last);
    }

    public override string ToString() =>
        First == Last ? Format(First) : $"{Format(First)} to {Format(Last)}";

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
