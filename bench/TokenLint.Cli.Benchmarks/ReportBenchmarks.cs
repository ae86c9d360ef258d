using System;
using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using TokenLint.Cli.Report;
using TokenLint.Cli.Usage;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Cli.Benchmarks;

/// <summary>Reading a transcript folder into the report's totals: lines per second is Lines / the mean time.</summary>
[MemoryDiagnoser]
public class ReportBenchmarks
{
    private string _folder = "";
    private string[] _files = Array.Empty<string>();

    [Params(1_000_000)]
    public long Lines { get; set; }

    [GlobalSetup]
    public void Generate()
    {
        _folder = Path.Combine(Path.GetTempPath(), "tokenlint-bench-transcripts-" + Lines);
        if (!Directory.Exists(_folder))
        {
            TranscriptGenerator.Write(_folder, Lines);
        }

        _files = UsageLogReader.FindFiles(new[] { _folder }, out _) is { } files ? new List<string>(files).ToArray() : Array.Empty<string>();
    }

    [Benchmark]
    public long ReadTranscripts()
    {
        var collector = new UsageCollector(new CallPricer(ModelPriceCatalog.BuiltIn));
        UsageLogReader.ReadAll(_files, collector);
        return collector.Calls;
    }
}
