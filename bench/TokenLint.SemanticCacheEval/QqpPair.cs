using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenLint.SemanticCacheEval;

/// <summary>One line of GPTCache's QQP benchmark file: two questions and their duplicate groups.</summary>
internal sealed record QqpPair(
    [property: JsonPropertyName("a")] string A,
    [property: JsonPropertyName("b")] string B,
    [property: JsonPropertyName("duplicate")] bool Duplicate,
    [property: JsonPropertyName("a_group")] long AGroup,
    [property: JsonPropertyName("b_group")] long BGroup)
{
    public static IReadOnlyList<QqpPair> Load(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<QqpPair>(l)!).ToList();
}
