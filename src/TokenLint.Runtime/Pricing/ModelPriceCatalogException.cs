using System;
using System.Collections.Generic;
using System.Linq;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Runtime.Pricing;

/// <summary>A price file TokenLint cannot use; the message names the file, and the entry with its line and column.</summary>
public sealed class ModelPriceCatalogException : Exception
{
    public ModelPriceCatalogException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
    }

    internal ModelPriceCatalogException(string source, IReadOnlyList<CatalogProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => $"{source}({p.Line},{p.Column}): {p.Description}")))
    {
        Source = source;
        Line = problems[0].Line;
        Column = problems[0].Column;
    }

    /// <summary>The file (or stream name) that was read.</summary>
    public new string Source { get; }

    /// <summary>The 1-based line of the first problem, where the reader knows it.</summary>
    public int? Line { get; }

    /// <summary>The 1-based column of the first problem, where the reader knows it.</summary>
    public int? Column { get; }
}
