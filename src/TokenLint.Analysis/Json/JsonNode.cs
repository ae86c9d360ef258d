using System.Collections.Generic;

namespace TokenLint.Analysis.Json;

/// <summary>The kinds of value the minimal reader produces.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
enum JsonKind
{
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// <summary>A parsed JSON value with the 1-based line and column where it starts, so that problems in a user's
/// file can be reported at the right place.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
sealed class JsonNode
{
    private JsonNode(JsonKind kind, int line, int column)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    public JsonKind Kind { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>Offset of the value's first character in the text (for diagnostic spans).</summary>
    public int Offset { get; private set; }

    public bool BooleanValue { get; private set; }

    public double NumberValue { get; private set; }

    public string? StringValue { get; private set; }

    public IReadOnlyList<JsonNode> Items { get; private set; } = System.Array.Empty<JsonNode>();

    /// <summary>Object members in document order; duplicates are kept so that a validator can report them.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode>> Members { get; private set; } = System.Array.Empty<KeyValuePair<string, JsonNode>>();

    public JsonNode? this[string name]
    {
        get
        {
            foreach (var member in Members)
            {
                if (member.Key == name)
                {
                    return member.Value;
                }
            }

            return null;
        }
    }

    internal static JsonNode Null(int line, int column, int offset) => new(JsonKind.Null, line, column) { Offset = offset };

    internal static JsonNode Boolean(bool value, int line, int column, int offset) => new(JsonKind.Boolean, line, column) { BooleanValue = value, Offset = offset };

    internal static JsonNode Number(double value, int line, int column, int offset) => new(JsonKind.Number, line, column) { NumberValue = value, Offset = offset };

    internal static JsonNode String(string value, int line, int column, int offset) => new(JsonKind.String, line, column) { StringValue = value, Offset = offset };

    internal static JsonNode Array(IReadOnlyList<JsonNode> items, int line, int column, int offset) => new(JsonKind.Array, line, column) { Items = items, Offset = offset };

    internal static JsonNode Object(IReadOnlyList<KeyValuePair<string, JsonNode>> members, int line, int column, int offset) => new(JsonKind.Object, line, column) { Members = members, Offset = offset };
}
