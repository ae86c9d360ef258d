using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TokenLint.CascadeReplay;
using TokenLint.CascadeReplay.GradeSchoolMath;
using TokenLint.Runtime.Cascade;

// dotnet run --project bench/CascadeReplay -c Release -- <csv> --decisions <file> [--curve] [--checks] [--reasons <file>]
// Replays every row through UseCascade (Mixtral-8x7B -> gpt-4-1106-preview, tiers returning the recorded answers)
// with the grade-school-math policy, writes "<row>,cheap|strong" per row to <file>, and, when the CSV has the
// cheap_correct and strong_correct columns, prints "quality=... saving=... escalated=..." as its last line.
// The labels go to the evaluator's scoring only; the policy sees the prompt and the answer.

const string Usage = "usage: CascadeReplay <csv> --decisions <file> [--curve] [--checks] [--reasons <file>]";
string? csvPath = null, decisionsPath = null, reasonsPath = null;
bool curve = false, checks = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--decisions" when i + 1 < args.Length:
            decisionsPath = args[++i];
            break;
        case "--reasons" when i + 1 < args.Length:
            reasonsPath = args[++i];
            break;
        case "--checks":
            checks = true;
            break;
        case "--curve":
            curve = true;
            break;
        case var arg when !arg.StartsWith("--", StringComparison.Ordinal) && csvPath is null:
            csvPath = arg;
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'. {Usage}");
            return 2;
    }
}

if (csvPath is null || decisionsPath is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    return await RunAsync(csvPath, decisionsPath, reasonsPath, curve, checks);
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

static async Task<int> RunAsync(string csvPath, string decisionsPath, string? reasonsPath, bool curve, bool checks)
{
    var rows = GsmReplayRows.Read(csvPath);
    var evaluator = new CascadeReplayEvaluator(GsmReplayRows.Tiers);
    var report = await evaluator.EvaluateAsync(rows, GradeSchoolMathPolicy.Create());

    using (var decisions = new StreamWriter(decisionsPath))
    {
        for (int r = 0; r < report.Rows; r++)
        {
            decisions.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r},{(report.AnsweringTier[r] == 0 ? "cheap" : "strong")}"));
        }
    }

    if (reasonsPath is not null)
    {
        // Why each escalated row was escalated: the first check that rejected Mixtral's answer.
        File.WriteAllLines(reasonsPath, report.Rejections.Select((reason, r) => string.Create(CultureInfo.InvariantCulture, $"{r},{reason}")));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"rows={report.Rows} cascade_cost=${report.Cost:0.0000} strong_only_cost=${report.LastTierOnlyCost:0.0000} decisions={decisionsPath}"));
    if (curve)
    {
        Console.WriteLine("threshold (share of the 5 checks that must pass) | quality | saving | escalated | frontier");
        var points = await evaluator.FrontierAsync(rows, GradeSchoolMathPolicy.Create, [0.2, 0.4, 0.6, 0.8, 1.0]);
        foreach (var point in points)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{point.Threshold:0.0} | {Format(point.Report.Quality)} | {point.Report.Saving:0.000} | {point.Report.EscalationRate:0.000} | {(point.OnFrontier ? "yes" : "no")}"));
        }
    }

    if (checks)
    {
        // Each check alone: how many rows it would escalate, and how many of those Mixtral got wrong (labels needed).
        Console.WriteLine("check | rows rejected | of which Mixtral wrong | of which GPT-4 right");
        foreach (var check in GradeSchoolMathPolicy.Checks)
        {
            var alone = await evaluator.EvaluateAsync(rows, check);
            var rejected = Enumerable.Range(0, rows.Count).Where(r => alone.AnsweringTier[r] != 0).ToList();
            string wrong = rows.Count > 0 && rows[0].Correct is null ? "n/a" : rejected.Count(r => !rows[r].Correct![0]).ToString(CultureInfo.InvariantCulture);
            string strongRight = rows.Count > 0 && rows[0].Correct is null ? "n/a" : rejected.Count(r => !rows[r].Correct![0] && rows[r].Correct![1]).ToString(CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{check.Name} | {rejected.Count} | {wrong} | {strongRight}"));
        }
    }

    if (report.Quality is double quality)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"quality={quality:0.000} saving={report.Saving:0.000} escalated={report.EscalationRate:0.000}"));
    }

    return 0;
}

static string Format(double? value) => value is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
