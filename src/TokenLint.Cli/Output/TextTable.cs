using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace TokenLint.Cli.Output;

/// <summary>A plain-text table: the first column left-aligned, the others right-aligned, widths fitted to the content.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = new();

    public TextTable(params string[] headers) => _headers = headers;

    /// <summary>Columns of text (not numbers) after the first, aligned left too.</summary>
    public int[] LeftAligned { get; init; } = System.Array.Empty<int>();

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"A row needs {_headers.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(TextWriter output)
    {
        int[] widths = _headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(output, _headers, widths);
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        var padded = cells.Select((cell, i) => i == 0 || LeftAligned.Contains(i) ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]));
        output.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}
