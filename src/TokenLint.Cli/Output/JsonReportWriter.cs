using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using TokenLint.Cli.Report;

namespace TokenLint.Cli.Output;

/// <summary>
/// <c>tokenlint report --json</c>: one JSON document (schema in the tool's README, <c>schemaVersion</c> 1). Token and
/// call counts are integers, dollars are numbers rounded to 6 decimals, shares are fractions (0.25 = 25%).
/// </summary>
internal static class JsonReportWriter
{
    public const int SchemaVersion = 1;

    /// <summary>How many sessions the document lists (the costliest); counts cover all of them.</summary>
    public const int SessionsListed = 50;

    public static void Write(UsageReport report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var collector = report.Collector;
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        WritePeriod(json, "period", report.Current.Period);
        WritePeriod(json, "previousPeriod", report.Previous.Period);
        WriteTotals(json, "totals", report.Current.Totals);
        WriteTotals(json, "previousTotals", report.Previous.Totals);

        json.WriteStartObject("diagnosis");
        json.WriteString("headline", report.Diagnosis.Headline);
        json.WriteNumber("previousCostUsd", Round(report.Diagnosis.PreviousSpendUsd));
        json.WriteNumber("costUsd", Round(report.Diagnosis.CurrentSpendUsd));
        json.WriteNumber("changeUsd", Round(report.Diagnosis.ChangeUsd));
        if (report.Diagnosis.LookFirst is { } first)
        {
            json.WriteString("lookFirst", first.Key);
        }
        else
        {
            json.WriteNull("lookFirst");
        }

        json.WriteStartArray("categories");
        foreach (var category in report.Diagnosis.Categories)
        {
            json.WriteStartObject();
            json.WriteString("key", category.Key);
            json.WriteString("title", category.Title);
            json.WriteNumber("changeUsd", Round(category.ChangeUsd));
            json.WriteString("verdict", category.Verdict);
            json.WriteStartObject("numbers");
            foreach (var (name, current, previous) in category.Numbers)
            {
                json.WriteStartObject(name);
                json.WriteNumber("current", Round(current));
                json.WriteNumber("previous", Round(previous));
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartArray("addressedBy");
            foreach (string name in category.AddressedBy)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartArray("byDay");
        foreach (var (day, totals) in report.Previous.Days.Concat(report.Current.Days))
        {
            json.WriteStartObject();
            json.WriteString("day", ReportPeriod.Format(day));
            json.WriteBoolean("current", report.Current.Period.Contains(day));
            WriteTotalsFields(json, totals);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteGroups(json, "byModel", "model", report.Current.Models);
        WriteGroups(json, "byProject", "project", report.Current.Projects);

        json.WriteStartObject("sessions");
        json.WriteNumber("count", report.Current.Sessions.Count);
        json.WriteNumber("loopCallThreshold", report.Current.LoopCallThreshold);
        json.WriteNumber("topOnePercentSpendShare", Round(report.Current.TopOnePercentSessionShare));
        json.WriteStartArray("costliest");
        foreach (var session in report.Current.Sessions.Take(SessionsListed))
        {
            json.WriteStartObject();
            json.WriteString("session", session.Session);
            WriteOptional(json, "project", session.Project);
            json.WriteBoolean("unusualCallCount", session.UnusualCallCount);
            json.WriteBoolean("growsEveryTurn", session.GrowsEveryTurn);
            WriteTotalsFields(json, session.Totals);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteStartObject("read");
        json.WriteNumber("files", collector.FilesRead);
        json.WriteNumber("lines", collector.LinesRead);
        json.WriteNumber("calls", collector.Calls);
        json.WriteNumber("duplicateCalls", collector.DuplicateCalls);
        json.WriteNumber("callsWithoutUsage", collector.CallsWithoutUsage);
        json.WriteNumber("problems", collector.ProblemCount);
        json.WriteStartArray("problemLines");
        foreach (var problem in collector.Problems)
        {
            json.WriteStartObject();
            json.WriteString("file", problem.Path);
            json.WriteNumber("line", problem.Line);
            json.WriteString("message", problem.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("unpricedModels");
        foreach (var (model, calls) in collector.UnpricedModels)
        {
            json.WriteNumber(model, calls);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WritePeriod(Utf8JsonWriter json, string name, ReportPeriod period)
    {
        json.WriteStartObject(name);
        json.WriteString("since", ReportPeriod.Format(period.First));
        json.WriteString("until", ReportPeriod.Format(period.Last));
        json.WriteNumber("days", period.Days);
        json.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter json, string name, UsageTotals totals)
    {
        json.WriteStartObject(name);
        WriteTotalsFields(json, totals);
        json.WriteEndObject();
    }

    private static void WriteTotalsFields(Utf8JsonWriter json, UsageTotals totals)
    {
        var tokens = totals.Tokens;
        json.WriteNumber("calls", totals.Calls);
        json.WriteNumber("inputTokens", tokens.InputTokens);
        json.WriteNumber("outputTokens", tokens.OutputTokens);
        json.WriteNumber("cacheReadTokens", tokens.CacheReadTokens);
        json.WriteNumber("cacheWriteTokens", tokens.CacheWriteTokens);
        json.WriteNumber("cacheWrite5mTokens", tokens.CacheWrite5mTokens);
        json.WriteNumber("cacheWrite1hTokens", tokens.CacheWrite1hTokens);
        json.WriteNumber("costUsd", Round(totals.CostUsd));
        json.WriteNumber("cacheHitRate", Round(totals.CacheHitRate));
        json.WriteNumber("unpricedCalls", totals.UnpricedCalls);
    }

    private static void WriteGroups(Utf8JsonWriter json, string name, string keyName, IReadOnlyList<(string Key, UsageTotals Totals)> groups)
    {
        json.WriteStartArray(name);
        foreach (var (key, totals) in groups)
        {
            json.WriteStartObject();
            if (key.Length == 0)
            {
                json.WriteNull(keyName);
            }
            else
            {
                json.WriteString(keyName, key);
            }

            WriteTotalsFields(json, totals);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static decimal Round(decimal value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);

    private static double Round(double value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);
}
