using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Runtime.Pricing;

/// <summary>
/// Model prices at run time. The built-in catalog is the same <c>models.json</c> the analyzers are generated from,
/// embedded in this assembly; <see cref="WithOverrides(string)"/> layers a team's own file (same format) on top, so
/// a new model, an Azure deployment name or a negotiated price is one JSON entry away.
/// </summary>
public sealed class ModelPriceCatalog
{
    private readonly Dictionary<string, ModelPrice> _byName;
    private readonly Dictionary<string, ModelPrice> _byId;
    private readonly List<(string Alias, string Id)> _aliases;

    private ModelPriceCatalog(Dictionary<string, ModelPrice> byId, Dictionary<string, ModelPrice> byName, List<(string Alias, string Id)> aliases)
    {
        _byId = byId;
        _byName = byName;
        _aliases = aliases;
    }

    private static readonly Lazy<ModelPriceCatalog> s_builtIn = new(LoadBuiltIn);

    /// <summary>The catalog shipped with this version of TokenLint.</summary>
    public static ModelPriceCatalog BuiltIn => s_builtIn.Value;

    /// <summary>Every priced model id.</summary>
    public IEnumerable<string> PricedModelIds => _byId.Keys;

    /// <summary>
    /// Finds the price of a model by id or alias (an SDK enum name, an Azure deployment name from an override file), in
    /// any case, or by an id with a date or <c>-latest</c> suffix (<c>gpt-4.1-2025-04-14</c> prices as <c>gpt-4.1</c>).
    /// False when the model is unknown or has no price.
    /// </summary>
    public bool TryGetPrice(string? model, out ModelPrice price)
    {
        price = null!;
        if (string.IsNullOrEmpty(model))
        {
            return false;
        }

        if (_byName.TryGetValue(model!, out price!))
        {
            return true;
        }

        string? undated = ModelIds.StripVersionSuffix(model!);
        return undated is not null && _byName.TryGetValue(undated, out price!);
    }

    /// <summary>This catalog with the entries of a JSON file (the <c>models.json</c> format) added or replacing ones of the same id.</summary>
    /// <exception cref="ModelPriceCatalogException">The file is malformed or has an invalid entry; the message names the file and the entry.</exception>
    public ModelPriceCatalog WithOverrides(string path)
    {
        using var stream = File.OpenRead(path);
        return WithOverrides(stream, path);
    }

    /// <summary>This catalog with the entries read from <paramref name="json"/> added or replacing ones of the same id.</summary>
    public ModelPriceCatalog WithOverrides(Stream json, string sourceName)
    {
        var byId = new Dictionary<string, ModelPrice>(_byId, StringComparer.Ordinal);
        var aliases = new List<(string Alias, string Id)>(_aliases);
        Read(json, sourceName, byId, aliases);
        return Build(byId, aliases);
    }

    /// <summary>A catalog of exactly the given prices, for tests and for teams that keep their own price list.</summary>
    public static ModelPriceCatalog Create(IEnumerable<ModelPrice> prices)
    {
        var byId = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (var price in prices)
        {
            byId[price.Id] = price;
        }

        return Build(byId, new List<(string, string)>());
    }

    private static ModelPriceCatalog LoadBuiltIn()
    {
        using var stream = typeof(ModelPriceCatalog).Assembly.GetManifestResourceStream("TokenLint.Runtime.models.json")
            ?? throw new InvalidOperationException("The built-in model catalog is missing from TokenLint.Runtime.");
        var byId = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        var aliases = new List<(string Alias, string Id)>();
        Read(stream, "built-in models.json", byId, aliases);
        return Build(byId, aliases);
    }

    private static ModelPriceCatalog Build(Dictionary<string, ModelPrice> byId, List<(string Alias, string Id)> aliases)
    {
        // Case-insensitive: no two models differ only by case, and deployment names are often typed in capitals.
        var byName = new Dictionary<string, ModelPrice>(byId, StringComparer.OrdinalIgnoreCase);
        foreach (var (alias, id) in aliases)
        {
            // Ids win over aliases when an override reuses a name.
            if (!byName.ContainsKey(alias) && byId.TryGetValue(id, out var price))
            {
                byName[alias] = price;
            }
        }

        return new ModelPriceCatalog(byId, byName, aliases);
    }

    private static void Read(Stream json, string source, Dictionary<string, ModelPrice> byId, List<(string Alias, string Id)> aliases)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ModelPriceCatalogException(source, $"line {e.LineNumber + 1}: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("models", out var models)
                || models.ValueKind != JsonValueKind.Array)
            {
                throw new ModelPriceCatalogException(source, "expected an object with a \"models\" array");
            }

            int index = 0;
            foreach (var entry in models.EnumerateArray())
            {
                string place = $"models[{index++}]";
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
                {
                    throw new ModelPriceCatalogException(source, $"{place}: every entry needs a string \"id\"");
                }

                string id = idElement.GetString()!;
                place = $"{place} (\"{id}\")";
                decimal? input = Price(entry, "inputPrice", source, place);
                decimal? output = Price(entry, "outputPrice", source, place);
                if (input is null || output is null)
                {
                    // Known but unpriced (a retired model): metered in tokens, flagged as unpriced.
                    byId.Remove(id);
                    continue;
                }

                var price = new ModelPrice
                {
                    Id = id,
                    Provider = String(entry, "provider"),
                    Tier = String(entry, "tier"),
                    CheaperSibling = String(entry, "cheaperSibling"),
                    Input = input.Value,
                    Output = output.Value,
                    CacheWrite5m = Price(entry, "cacheWrite5mPrice", source, place),
                    CacheWrite1h = Price(entry, "cacheWrite1hPrice", source, place),
                    CacheRead = Price(entry, "cacheReadPrice", source, place),
                    LongContextThreshold = Count(entry, "longContextThreshold", source, place),
                    LongContextInput = Price(entry, "longContextInputPrice", source, place),
                    LongContextOutput = Price(entry, "longContextOutputPrice", source, place),
                    MaxOutputTokens = Count(entry, "maxOutputTokens", source, place),
                    Unconfirmed = entry.TryGetProperty("unconfirmed", out var unconfirmed) && unconfirmed.ValueKind == JsonValueKind.True,
                    Checked = String(entry, "checked"),
                };
                byId[id] = price;
                if (entry.TryGetProperty("aliases", out var aliasArray) && aliasArray.ValueKind == JsonValueKind.Array)
                {
                    foreach (var alias in aliasArray.EnumerateArray())
                    {
                        if (alias.ValueKind == JsonValueKind.String && alias.GetString() is { Length: > 0 })
                        {
                            aliases.Add((alias.GetString()!, id));
                        }
                    }
                }
            }
        }
    }

    private static string? String(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static decimal? Price(JsonElement entry, string name, string source, string place)
    {
        if (!entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out decimal price))
        {
            throw new ModelPriceCatalogException(source, $"{place}: \"{name}\" must be a number, not {value.GetRawText()}");
        }

        if (price < 0)
        {
            throw new ModelPriceCatalogException(source, string.Create(CultureInfo.InvariantCulture, $"{place}: \"{name}\" is negative ({price})"));
        }

        return price;
    }

    private static int? Count(JsonElement entry, string name, string source, string place)
    {
        if (!entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int count) || count < 0)
        {
            throw new ModelPriceCatalogException(source, $"{place}: \"{name}\" must be a non-negative whole number, not {value.GetRawText()}");
        }

        return count;
    }
}

/// <summary>A price file TokenLint cannot use; the message names the file and the entry.</summary>
public sealed class ModelPriceCatalogException : Exception
{
    public ModelPriceCatalogException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
    }

    /// <summary>The file (or stream name) that was read.</summary>
    public new string Source { get; }
}
