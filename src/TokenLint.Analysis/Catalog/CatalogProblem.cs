namespace TokenLint.Analysis.Catalog;

/// <summary>A problem found in a catalog file, at a 1-based line and column.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
sealed class CatalogProblem
{
    public CatalogProblem(string message, int line, int column, int offset)
        : this(message, line, column, offset, consequence: null)
    {
    }

    /// <summary>A problem whose <see cref="Message"/> also says what the analyzers do about it (<c>entry ignored</c>).</summary>
    public CatalogProblem(string description, int line, int column, int offset, string? consequence)
    {
        Description = description;
        Message = consequence is null ? description : description + "; " + consequence;
        Line = line;
        Column = column;
        Offset = offset;
    }

    /// <summary>What is wrong and what the analyzers do about it, as TL9001 says it.</summary>
    public string Message { get; }

    /// <summary>What is wrong, without the analyzers' consequence: the run time refuses the whole file instead.</summary>
    public string Description { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>Character offset in the file, for a diagnostic span.</summary>
    public int Offset { get; }

    public override string ToString() => $"({Line},{Column}): {Message}";
}
