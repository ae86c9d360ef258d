using System;
using System.Text;

namespace TokenLint.Postgres;

/// <summary>
/// Where TokenLint's tables live: a schema and a prefix for every table name, so several applications (or several
/// environments) can share one database. Both are written into SQL as quoted identifiers, never as raw text.
/// </summary>
public sealed class PostgresSchemaNames
{
    /// <summary>PostgreSQL's identifier limit in bytes; a longer name would be truncated silently.</summary>
    private const int MaxIdentifierBytes = 63;

    /// <param name="schema">The schema the tables go in; created by the migrator when missing. Default <c>tokenlint</c>.</param>
    /// <param name="tablePrefix">Put before every table name (e.g. <c>staging_</c>); empty by default.</param>
    public PostgresSchemaNames(string schema = "tokenlint", string tablePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(tablePrefix);
        Schema = Checked(schema, nameof(schema));
        TablePrefix = tablePrefix.Length == 0 ? tablePrefix : Checked(tablePrefix, nameof(tablePrefix));
    }

    /// <summary>The defaults: schema <c>tokenlint</c>, no table prefix.</summary>
    public static PostgresSchemaNames Default { get; } = new();

    public string Schema { get; }

    public string TablePrefix { get; }

    /// <summary>The schema as a quoted identifier.</summary>
    public string QuotedSchema => Quote(Schema);

    /// <summary>
    /// The schema-qualified, quoted name of the table <paramref name="name"/> (e.g. <c>"tokenlint"."budget_accounts"</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The prefixed name is longer than PostgreSQL's 63-byte limit.</exception>
    public string Table(string name) => QuotedSchema + "." + Quote(Checked(TablePrefix + name, nameof(name)));

    /// <summary>
    /// A name for an index or constraint of this prefix: PostgreSQL's own would be cut at 63 bytes, where two prefixes
    /// could meet.
    /// </summary>
    public string Object(string name) => Quote(Checked(TablePrefix + name, nameof(name)));

    /// <summary>Doubles embedded quotes and wraps the name in quotes: any text is then one identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string ToString() => TablePrefix.Length == 0 ? Schema : $"{Schema} (tables prefixed '{TablePrefix}')";

    private static string Checked(string name, string parameter)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("A PostgreSQL identifier cannot be empty.", parameter);
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A PostgreSQL identifier cannot contain a NUL character.", parameter);
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes)
        {
            throw new ArgumentException(
                $"'{name}' is longer than PostgreSQL's {MaxIdentifierBytes}-byte identifier limit, past which names are cut and may collide.", parameter);
        }

        return name;
    }
}
