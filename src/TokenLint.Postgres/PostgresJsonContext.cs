using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace TokenLint.Postgres;

/// <summary>Source-generated JSON for the few shapes this package writes itself.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class PostgresJsonContext : JsonSerializerContext;
