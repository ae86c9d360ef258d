namespace TokenLint.Analysis.Catalog;

/// <summary>A problem found in a catalog file, at a 1-based line and column.</summary>
public sealed class CatalogProblem
{
    public CatalogProblem(string message, int line, int column, int offset)
    {
        Message = message;
        Line = line;
        Column = column;
        Offset = offset;
    }

    public string Message { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>Character offset in the file, for a diagnostic span.</summary>
    public int Offset { get; }

    public override string ToString() => $"({Line},{Column}): {Message}";
}
