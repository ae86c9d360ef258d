using System;
using System.Globalization;
using BenchmarkDotNet.Running;
using TokenLint.Cli.Benchmarks;

// dotnet run -c Release -- generate FOLDER LINES: writes a transcript folder to time the real tool on
// (e.g. /usr/bin/time -v tokenlint report FOLDER). Anything else runs the BenchmarkDotNet benchmarks.
if (args.Length == 3 && args[0] == "generate")
{
    long written = TranscriptGenerator.Write(args[1], long.Parse(args[2], CultureInfo.InvariantCulture));
    Console.WriteLine($"{written} lines written to {args[1]}");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ReportBenchmarks).Assembly).Run(args);
return 0;
