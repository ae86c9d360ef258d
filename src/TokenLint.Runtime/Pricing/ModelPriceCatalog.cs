using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Runtime.Pricing;

/// <summary>
/// Model prices at run time. The built-in catalog is the analyzers' <c>models.json</c>, compiled into this assembly by
/// the same generator; <see cref="WithOverrides(string)"/> layers a team's own file on top with the analyzers' reader,
/// so one override file means the same to TokenLint's rules, metering and budgets: an entry for a known id changes
/// only the fields it names, a new id adds a model, and a new model, an Azure deployment name (an alias) or a
/// negotiated price is one JSON entry away.
/// </summary>
public sealed class ModelPriceCatalog
{
    private static readonly Lazy<ModelPriceCatalog> s_builtIn = new(() => new ModelPriceCatalog(ModelCatalog.BuiltIn, given: null));

    // Override files are read over the exact names, as the analyzers read them; lookups then also accept any case,
    // because deployment names are often typed in capitals.
    private readonly ModelCatalog _catalog;
    private readonly ModelCatalog _anyCase;
    private readonly Dictionary<ModelInfo, ModelPrice> _prices = new(ReferenceEqualityComparer.Instance);

    private ModelPriceCatalog(ModelCatalog catalog, IReadOnlyDictionary<ModelInfo, ModelPrice>? given)
    {
        _catalog = catalog;
        _anyCase = new ModelCatalog(catalog.Models, catalog.IdPrefixes, catalog.OtherKnownIds, StringComparer.OrdinalIgnoreCase);
        foreach (var model in catalog.Models)
        {
            if (given is not null && given.TryGetValue(model, out var price))
            {
                _prices[model] = price;
            }
            else if (ToPrice(model) is { } converted)
            {
                _prices[model] = converted;
            }
        }
    }

    /// <summary>The catalog shipped with this version of TokenLint.</summary>
    public static ModelPriceCatalog BuiltIn => s_builtIn.Value;

    /// <summary>Every priced model id.</summary>
    public IEnumerable<string> PricedModelIds => _catalog.Models.Where(_prices.ContainsKey).Select(model => model.Id);

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

        return (_catalog.TryFind(model, out var info) || _anyCase.TryFind(model, out info))
            && _prices.TryGetValue(info, out price!);
    }

    /// <summary>This catalog with the entries of a JSON file (the <c>models.json</c> format) added or changing ones of the same id.</summary>
    /// <exception cref="ModelPriceCatalogException">The file is not JSON or has an invalid entry; the message names the file, the entry and its line and column.</exception>
    public ModelPriceCatalog WithOverrides(string path)
    {
        using var stream = File.OpenRead(path);
        return WithOverrides(stream, path);
    }

    /// <summary>This catalog with the entries read from <paramref name="json"/> added or changing ones of the same id.</summary>
    /// <exception cref="ModelPriceCatalogException">The text is not JSON or has an invalid entry; nothing of it is applied.</exception>
    public ModelPriceCatalog WithOverrides(Stream json, string sourceName)
    {
        string text;
        using (var reader = new StreamReader(json, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            text = reader.ReadToEnd();
        }

        // The analyzers leave a bad entry out and say so (TL9001); at run time a price file is all or nothing, so
        // that a typo never silently leaves a model at another price.
        var result = ModelCatalogReader.Read(text, _catalog.Find);
        if (result.Problems.Count > 0)
        {
            throw new ModelPriceCatalogException(sourceName, result.Problems);
        }

        return new ModelPriceCatalog(_catalog.WithOverrides(result), _prices);
    }

    /// <summary>A catalog of exactly the given prices, for tests and for teams that keep their own price list.</summary>
    public static ModelPriceCatalog Create(IEnumerable<ModelPrice> prices)
    {
        var byId = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (var price in prices)
        {
            byId[price.Id] = price;
        }

        var given = byId.Values.ToDictionary(ToModelInfo, price => price, (IEqualityComparer<ModelInfo>)ReferenceEqualityComparer.Instance);
        return new ModelPriceCatalog(new ModelCatalog(given.Keys), given);
    }

    private static ModelPrice? ToPrice(ModelInfo model)
    {
        if (model.InputPrice is not { } input || model.OutputPrice is not { } output)
        {
            return null; // known but unpriced (a retired model): metered in tokens, flagged as unpriced
        }

        return new ModelPrice
        {
            Id = model.Id,
            Provider = model.Provider == ModelProvider.Unknown ? null : model.Provider.ToString().ToLowerInvariant(),
            Input = (decimal)input,
            Output = (decimal)output,
            CacheWrite5m = (decimal?)model.CacheWrite5mPrice,
            CacheWrite1h = (decimal?)model.CacheWrite1hPrice,
            CacheRead = (decimal?)model.CacheReadPrice,
            LongContextThreshold = model.LongContextThreshold,
            LongContextInput = (decimal?)model.LongContextInputPrice,
            LongContextOutput = (decimal?)model.LongContextOutputPrice,
            MaxOutputTokens = model.MaxOutputTokens,
            Unconfirmed = model.Unconfirmed,
            Checked = model.Checked,
        };
    }

    /// <summary>The catalog entry of a given price, so that an override file can change some of its fields.</summary>
    private static ModelInfo ToModelInfo(ModelPrice price) => new()
    {
        Id = price.Id,
        Provider = Enum.TryParse<ModelProvider>(price.Provider, ignoreCase: true, out var provider) ? provider : ModelProvider.Unknown,
        InputPrice = (double)price.Input,
        OutputPrice = (double)price.Output,
        CacheWrite5mPrice = (double?)price.CacheWrite5m,
        CacheWrite1hPrice = (double?)price.CacheWrite1h,
        CacheReadPrice = (double?)price.CacheRead,
        LongContextThreshold = price.LongContextThreshold,
        LongContextInputPrice = (double?)price.LongContextInput,
        LongContextOutputPrice = (double?)price.LongContextOutput,
        MaxOutputTokens = price.MaxOutputTokens,
        Unconfirmed = price.Unconfirmed,
        Checked = price.Checked,
    };
}
