using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace TokenLint.CascadeReplay;

/// <summary>
/// A CSV file as RFC 4180 writes it: comma-separated fields, a field in double quotes may hold commas, line breaks
/// and doubled quotes (""), and lines end with \n or \r\n. The first record is the header.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Count; i++)
        {
            _columns.TryAdd(header[i].Trim(), i);
        }

        Rows = rows;
    }

    public IReadOnlyList<string[]> Rows { get; }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>The column's index; a clear error naming the file's columns when it is missing.</summary>
    public int Column(string name, string path) =>
        _columns.TryGetValue(name, out int index)
            ? index
            : throw new InvalidDataException($"{path}: no '{name}' column (columns: {string.Join(", ", _columns.Keys)}).");

    public static CsvTable Read(string path)
    {
        var records = Parse(File.ReadAllText(path), path);
        if (records.Count == 0)
        {
            throw new InvalidDataException($"{path}: the file is empty; a header line is expected.");
        }

        var header = records[0];
        for (int i = 1; i < records.Count; i++)
        {
            if (records[i].Length != header.Length)
            {
                throw new InvalidDataException($"{path}: data row {i - 1} has {records[i].Length} fields, the header {header.Length}.");
            }
        }

        return new CsvTable(header, records.GetRange(1, records.Count - 1));
    }

    internal static List<string[]> Parse(string text, string path)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, fieldStarted = false;
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    line++;
                    EndRecord();
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"{path}: a quoted field opened before line {line} is never closed.");
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || field.Length > 0 || fields.Count > 0)
            {
                fields.Add(field.ToString());
                records.Add([.. fields]);
            }

            fields.Clear();
            field.Clear();
            fieldStarted = false;
        }
    }
}
