using System;
using System.Collections.Generic;
using System.Globalization;
using TokenLint.Analysis.Json;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Catalog;

/// <summary>The entries read from one catalog file, and what was wrong with it.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
sealed class ModelCatalogReadResult
{
    public ModelCatalogReadResult(IReadOnlyList<ModelInfo> models, IReadOnlyList<CatalogProblem> problems)
        : this(models, Array.Empty<ModelIdPrefix>(), Array.Empty<string>(), problems)
    {
    }

    public ModelCatalogReadResult(IReadOnlyList<ModelInfo> models, IReadOnlyList<ModelIdPrefix> idPrefixes, IReadOnlyList<string> otherKnownIds, IReadOnlyList<CatalogProblem> problems)
    {
        Models = models;
        IdPrefixes = idPrefixes;
        OtherKnownIds = otherKnownIds;
        Problems = problems;
    }

    /// <summary>The valid entries; an entry with a problem is left out whole.</summary>
    public IReadOnlyList<ModelInfo> Models { get; }

    /// <summary>The file's <c>idPrefixes</c>: provider and tokenizer of ids without an entry.</summary>
    public IReadOnlyList<ModelIdPrefix> IdPrefixes { get; }

    /// <summary>The file's <c>otherKnownIds</c>: served ids the catalog does not price, never reported as typos.</summary>
    public IReadOnlyList<string> OtherKnownIds { get; }

    public IReadOnlyList<CatalogProblem> Problems { get; }
}

/// <summary>
/// Reads a catalog file (the built-in <c>models.json</c> at build time, a user's override inside the compiler).
/// An override entry whose id is already known changes only the fields it names.
/// </summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
static class ModelCatalogReader
{
    private delegate string? FieldSetter(ModelInfo model, JsonNode value);

    private static readonly Dictionary<string, FieldSetter> FieldSetters = new(StringComparer.Ordinal)
    {
        ["provider"] = (m, v) => ReadEnum<ModelProvider>(v, "provider", x => m.Provider = x),
        ["family"] = (m, v) => ReadString(v, "family", x => m.Family = x),
        ["tier"] = (m, v) => ReadEnum<ModelTier>(v, "tier", x => m.Tier = x),
        ["aliases"] = (m, v) => ReadStrings(v, "aliases", x => m.Aliases = x),
        ["tokenizer"] = (m, v) => ReadTokenizer(v, "tokenizer", x => m.Tokenizer = x),
        ["inputPrice"] = (m, v) => ReadPrice(v, "inputPrice", x => m.InputPrice = x),
        ["outputPrice"] = (m, v) => ReadPrice(v, "outputPrice", x => m.OutputPrice = x),
        ["cacheWrite5mPrice"] = (m, v) => ReadPrice(v, "cacheWrite5mPrice", x => m.CacheWrite5mPrice = x),
        ["cacheWrite1hPrice"] = (m, v) => ReadPrice(v, "cacheWrite1hPrice", x => m.CacheWrite1hPrice = x),
        ["cacheReadPrice"] = (m, v) => ReadPrice(v, "cacheReadPrice", x => m.CacheReadPrice = x),
        ["longContextThreshold"] = (m, v) => ReadCount(v, "longContextThreshold", x => m.LongContextThreshold = x),
        ["longContextInputPrice"] = (m, v) => ReadPrice(v, "longContextInputPrice", x => m.LongContextInputPrice = x),
        ["longContextOutputPrice"] = (m, v) => ReadPrice(v, "longContextOutputPrice", x => m.LongContextOutputPrice = x),
        ["batchDiscount"] = (m, v) => ReadShare(v, "batchDiscount", x => m.BatchDiscount = x),
        ["maxOutputTokens"] = (m, v) => ReadCount(v, "maxOutputTokens", x => m.MaxOutputTokens = x),
        ["minCacheablePrefixTokens"] = (m, v) => ReadCount(v, "minCacheablePrefixTokens", x => m.MinCacheablePrefixTokens = x),
        ["contextWindow"] = (m, v) => ReadCount(v, "contextWindow", x => m.ContextWindow = x),
        ["status"] = (m, v) => ReadEnum<ModelStatus>(v, "status", x => m.Status = x),
        ["retirementDate"] = (m, v) => ReadDate(v, "retirementDate", x => m.RetirementDate = x),
        ["replacement"] = (m, v) => ReadString(v, "replacement", x => m.Replacement = x),
        ["cheaperSibling"] = (m, v) => ReadString(v, "cheaperSibling", x => m.CheaperSibling = x),
        ["checked"] = (m, v) => ReadDate(v, "checked", x => m.Checked = x),
        ["unconfirmed"] = (m, v) => ReadBoolean(v, "unconfirmed", x => m.Unconfirmed = x),
        ["notes"] = (m, v) => ReadString(v, "notes", x => m.Notes = x),
    };

    /// <summary>Field names a catalog entry may carry besides <c>id</c>.</summary>
    public static IEnumerable<string> FieldNames => FieldSetters.Keys;

    /// <param name="text">The file's text.</param>
    /// <param name="findExisting">Looks up an entry this file overrides; null when reading a complete catalog.</param>
    public static ModelCatalogReadResult Read(string text, Func<string, ModelInfo?>? findExisting)
    {
        var problems = new List<CatalogProblem>();
        var models = new List<ModelInfo>();
        JsonNode root;
        try
        {
            root = JsonReader.Parse(text);
        }
        catch (JsonReaderException e)
        {
            problems.Add(new CatalogProblem(e.Problem, e.Line, e.Column, e.Offset));
            return new ModelCatalogReadResult(models, problems);
        }

        if (root.Kind != JsonKind.Object || root["models"] is not { } list)
        {
            problems.Add(At(root, "expected an object with a \"models\" array"));
            return new ModelCatalogReadResult(models, problems);
        }

        if (list.Kind != JsonKind.Array)
        {
            problems.Add(At(list, "\"models\" must be an array"));
            return new ModelCatalogReadResult(models, problems);
        }

        var seenIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in list.Items)
        {
            var model = ReadEntry(entry, findExisting, seenIds, problems);
            if (model is not null)
            {
                models.Add(model);
            }
        }

        var idPrefixes = root["idPrefixes"] is { } prefixList ? ReadIdPrefixes(prefixList, problems) : Array.Empty<ModelIdPrefix>();
        var otherKnownIds = new List<string>();
        if (root["otherKnownIds"] is { } knownList && ReadStrings(knownList, "otherKnownIds", ids => otherKnownIds.AddRange(ids)) is { } knownProblem)
        {
            problems.Add(At(knownList, knownProblem, "the list is ignored"));
        }

        return new ModelCatalogReadResult(models, idPrefixes, otherKnownIds, problems);
    }

    private static IReadOnlyList<ModelIdPrefix> ReadIdPrefixes(JsonNode list, List<CatalogProblem> problems)
    {
        const string Ignored = "rule ignored";
        var rules = new List<ModelIdPrefix>();
        if (list.Kind != JsonKind.Array)
        {
            problems.Add(At(list, "\"idPrefixes\" must be an array", "the list is ignored"));
            return rules;
        }

        foreach (var item in list.Items)
        {
            if (item.Kind != JsonKind.Object
                || item["idPrefix"] is not { Kind: JsonKind.String, StringValue: { Length: > 1 } prefix }
                || !prefix.EndsWith("-", StringComparison.Ordinal))
            {
                problems.Add(At(item, "each item of \"idPrefixes\" needs an \"idPrefix\" that ends with '-'", Ignored));
                continue;
            }

            var provider = ModelProvider.Unknown;
            TokenEncoding? tokenizer = null;
            int problemsBefore = problems.Count;
            foreach (var member in item.Members)
            {
                string? problem = member.Key switch
                {
                    "idPrefix" => null,
                    "provider" => ReadEnum<ModelProvider>(member.Value, "provider", x => provider = x),
                    "tokenizer" => ReadTokenizer(member.Value, "tokenizer", x => tokenizer = x),
                    _ => $"unknown property \"{member.Key}\"",
                };
                if (problem is not null)
                {
                    problems.Add(At(member.Value, $"id prefix '{prefix}': {problem}", Ignored));
                }
            }

            if (problems.Count == problemsBefore)
            {
                rules.Add(new ModelIdPrefix(prefix, provider, tokenizer));
            }
        }

        return rules;
    }

    private static ModelInfo? ReadEntry(JsonNode entry, Func<string, ModelInfo?>? findExisting, HashSet<string> seenIds, List<CatalogProblem> problems)
    {
        if (entry.Kind != JsonKind.Object)
        {
            problems.Add(At(entry, "each item of \"models\" must be an object"));
            return null;
        }

        if (entry["id"] is not { Kind: JsonKind.String, StringValue: { Length: > 0 } id })
        {
            problems.Add(At(entry, "a model entry needs a non-empty string \"id\""));
            return null;
        }

        if (!seenIds.Add(id))
        {
            problems.Add(At(entry, $"model '{id}' appears more than once", EntryIgnored));
            return null;
        }

        var model = findExisting?.Invoke(id)?.Clone() ?? new ModelInfo();
        model.Id = id;
        int problemsBefore = problems.Count;
        foreach (var member in entry.Members)
        {
            if (member.Key == "id")
            {
                continue;
            }

            if (!FieldSetters.TryGetValue(member.Key, out var setter))
            {
                problems.Add(At(member.Value, $"model '{id}' has an unknown property \"{member.Key}\"", EntryIgnored));
                continue;
            }

            if (setter(model, member.Value) is { } problem)
            {
                problems.Add(At(member.Value, $"model '{id}': {problem}", EntryIgnored));
            }
        }

        if (problems.Count == problemsBefore)
        {
            foreach (var problem in ModelInvariants.Check(model))
            {
                problems.Add(At(entry, $"model '{id}': {problem}", EntryIgnored));
            }
        }

        return problems.Count == problemsBefore ? model : null;
    }

    private const string EntryIgnored = "entry ignored";

    private static CatalogProblem At(JsonNode node, string message, string? consequence = null) =>
        new(message, node.Line, node.Column, node.Offset, consequence);

    private static string? ReadString(JsonNode value, string name, Action<string?> set)
    {
        if (value.Kind == JsonKind.Null)
        {
            set(null);
            return null;
        }

        if (value.Kind != JsonKind.String)
        {
            return $"\"{name}\" must be a string or null";
        }

        set(value.StringValue);
        return null;
    }

    private static string? ReadStrings(JsonNode value, string name, Action<IReadOnlyList<string>> set)
    {
        if (value.Kind != JsonKind.Array)
        {
            return $"\"{name}\" must be an array of strings";
        }

        var items = new List<string>();
        foreach (var item in value.Items)
        {
            if (item.Kind != JsonKind.String || string.IsNullOrEmpty(item.StringValue))
            {
                return $"\"{name}\" must contain only non-empty strings";
            }

            items.Add(item.StringValue!);
        }

        set(items);
        return null;
    }

    private static string? ReadTokenizer(JsonNode value, string name, Action<TokenEncoding?> set)
    {
        TokenEncoding? encoding = value.Kind switch
        {
            JsonKind.String when value.StringValue == "o200k_base" => TokenEncoding.O200kBase,
            JsonKind.String when value.StringValue == "cl100k_base" => TokenEncoding.Cl100kBase,
            _ => null,
        };
        if (encoding is null && value.Kind != JsonKind.Null)
        {
            return $"\"{name}\" must be o200k_base, cl100k_base or null";
        }

        set(encoding);
        return null;
    }

    private static string? ReadBoolean(JsonNode value, string name, Action<bool> set)
    {
        if (value.Kind != JsonKind.Boolean)
        {
            return $"\"{name}\" must be true or false";
        }

        set(value.BooleanValue);
        return null;
    }

    private static string? ReadPrice(JsonNode value, string name, Action<double?> set)
    {
        if (value.Kind == JsonKind.Null)
        {
            set(null);
            return null;
        }

        if (value.Kind != JsonKind.Number)
        {
            return $"\"{name}\" must be a number (US dollars per million tokens) or null";
        }

        if (value.NumberValue < 0 || double.IsNaN(value.NumberValue) || double.IsInfinity(value.NumberValue))
        {
            return $"\"{name}\" is negative ({value.NumberValue.ToString(CultureInfo.InvariantCulture)})";
        }

        set(value.NumberValue);
        return null;
    }

    private static string? ReadShare(JsonNode value, string name, Action<double?> set)
    {
        if (value.Kind == JsonKind.Number && (value.NumberValue <= 0 || value.NumberValue > 1))
        {
            return $"\"{name}\" must be above 0 and at most 1";
        }

        return ReadPrice(value, name, set);
    }

    private static string? ReadCount(JsonNode value, string name, Action<int?> set)
    {
        if (value.Kind == JsonKind.Null)
        {
            set(null);
            return null;
        }

        if (value.Kind != JsonKind.Number || value.NumberValue < 0 || value.NumberValue > int.MaxValue || Math.Floor(value.NumberValue) != value.NumberValue)
        {
            return $"\"{name}\" must be a whole number of tokens or null";
        }

        set((int)value.NumberValue);
        return null;
    }

    private static string? ReadDate(JsonNode value, string name, Action<string?> set)
    {
        if (value.Kind == JsonKind.String
            && !DateTime.TryParseExact(value.StringValue, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return $"\"{name}\" must be a date written yyyy-MM-dd";
        }

        return ReadString(value, name, set);
    }

    private static string? ReadEnum<T>(JsonNode value, string name, Action<T> set)
        where T : struct
    {
        if (value.Kind == JsonKind.String
            && Enum.TryParse<T>(value.StringValue, ignoreCase: true, out var parsed)
            && Enum.IsDefined(typeof(T), parsed)
            && !int.TryParse(value.StringValue, out _))
        {
            set(parsed);
            return null;
        }

        return $"\"{name}\" must be one of: {string.Join(", ", Enum.GetNames(typeof(T))).ToLowerInvariant()}";
    }
}
