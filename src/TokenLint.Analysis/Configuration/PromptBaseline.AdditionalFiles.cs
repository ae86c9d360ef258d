using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TokenLint.Analysis.Configuration;

// Finding the baseline among a compilation's AdditionalFiles: the compiler-side half, kept apart so that the format's
// reader (PromptBaseline.cs) also serves the tokenlint tool, which has no Roslyn.
public sealed partial class PromptBaseline
{
    private static readonly ConditionalWeakTable<SourceText, PromptBaseline> Cache = new();

    /// <summary>The project's baseline file, read once per text; null when there is none.</summary>
    public static PromptBaseline? Find(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        foreach (var file in options.AdditionalFiles)
        {
            if (System.IO.Path.GetFileName(file.Path).Equals(FileName, StringComparison.OrdinalIgnoreCase) && file.GetText(cancellationToken) is { } text)
            {
                return Cache.GetValue(text, t => Read(file.Path, t.ToString()));
            }
        }

        return null;
    }
}
