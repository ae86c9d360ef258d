using System;
using System.Collections.Generic;
using System.Linq;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analysis.Catalog;

/// <summary>
/// The models TokenLint knows: the built-in catalog (generated at build time from <c>models.json</c>), plus any
/// entries a user's override file adds or changes. Lookups accept ids, aliases (SDK enum member names, dated ids)
/// and a known id followed by a date or <c>-latest</c>. The runtime library compiles this same file, so an override
/// file means the same to the analyzers and to the metering and budgets.
/// </summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelInfo> _byName;
    private readonly HashSet<string> _otherKnownIds;

    public ModelCatalog(IEnumerable<ModelInfo> models)
        : this(models, Array.Empty<ModelIdPrefix>(), Array.Empty<string>())
    {
    }

    /// <param name="models">The entries; an id appears once.</param>
    /// <param name="idPrefixes">What ids without an entry are, by how they start; the first match wins.</param>
    /// <param name="otherKnownIds">Served ids without an entry, never taken for typos.</param>
    /// <param name="nameComparer">How names are matched: exactly (the default; wire ids are case-sensitive), or in any case.</param>
    public ModelCatalog(IEnumerable<ModelInfo> models, IEnumerable<ModelIdPrefix> idPrefixes, IEnumerable<string> otherKnownIds, StringComparer? nameComparer = null)
    {
        NameComparer = nameComparer ?? StringComparer.Ordinal;
        Models = models.ToArray();
        IdPrefixes = idPrefixes.ToArray();
        _otherKnownIds = new HashSet<string>(otherKnownIds, NameComparer);
        _byName = new Dictionary<string, ModelInfo>(NameComparer);
        foreach (var model in Models)
        {
            _byName[model.Id] = model;
        }

        // Ids win over aliases when an override reuses a name.
        foreach (var model in Models)
        {
            foreach (var alias in model.Aliases)
            {
                if (!_byName.ContainsKey(alias))
                {
                    _byName[alias] = model;
                }
            }
        }
    }

    /// <summary>
    /// The catalog generated from <c>models.json</c>, built on first use: compiling and running its generated
    /// initializer is most of what a compilation with no model call would otherwise pay TokenLint for.
    /// </summary>
    public static ModelCatalog BuiltIn => BuiltInHolder.Catalog;

    /// <summary>Holds <see cref="BuiltIn"/>, so that only reading it builds it (not compiling a method that mentions it).</summary>
    private static class BuiltInHolder
    {
        public static readonly ModelCatalog Catalog = new(BuiltInModels.Create(), BuiltInModels.CreateIdPrefixes(), BuiltInModels.OtherKnownIds);
    }

    public IReadOnlyList<ModelInfo> Models { get; }

    public IReadOnlyList<ModelIdPrefix> IdPrefixes { get; }

    /// <summary>Served ids the catalog does not price; never reported as typos and never suggested.</summary>
    public IReadOnlyCollection<string> OtherKnownIds => _otherKnownIds;

    public StringComparer NameComparer { get; }

    /// <summary>Finds a model by id or alias, exactly (wire ids are case-sensitive) unless the catalog was built to ignore case.</summary>
    public bool TryFind(string name, out ModelInfo model)
    {
        if (_byName.TryGetValue(name, out model!))
        {
            return true;
        }

        string? undated = StripVersionSuffix(name);
        if (undated is not null && _byName.TryGetValue(undated, out model!))
        {
            return true;
        }

        model = null!;
        return false;
    }

    public ModelInfo? Find(string name) => TryFind(name, out var model) ? model : null;

    /// <summary>Every spelling a request may carry on the wire: ids and aliases that are not SDK member names.</summary>
    public IEnumerable<string> WireNames => _byName.Keys.Where(IsWireName);

    /// <summary>Whether <paramref name="id"/> is a served id the catalog lists without an entry.</summary>
    public bool IsOtherKnownId(string id) => _otherKnownIds.Contains(id);

    /// <summary>
    /// The model of <paramref name="provider"/> with the smallest minimum cacheable prefix in the catalog, confirmed or
    /// not, or null when none of its models has one. A prefix shorter than this model's minimum is too short for every
    /// model of the provider whose minimum the catalog knows.
    /// </summary>
    public ModelInfo? SmallestCacheMinimum(ModelProvider provider)
    {
        ModelInfo? smallest = null;
        foreach (var model in Models)
        {
            if (model.Provider == provider && model.MinCacheablePrefixTokens is { } minimum
                && (smallest is null || minimum < smallest.MinCacheablePrefixTokens))
            {
                smallest = model;
            }
        }

        return smallest;
    }

    /// <summary>The provider of a model: its entry's, else that of the first id prefix it matches, else unknown.</summary>
    public ModelProvider ProviderOf(string id) =>
        TryFind(id, out var model) ? model.Provider : MatchPrefix(id)?.Provider ?? ModelProvider.Unknown;

    /// <summary>
    /// The encoding a model's text is counted with: its entry's tokenizer, else that of the first id prefix it
    /// matches, else o200k_base (exact for current OpenAI models, an estimate for the others).
    /// </summary>
    public TokenEncoding EncodingFor(string? id)
    {
        if (id is null)
        {
            return TokenEncoding.O200kBase;
        }

        var tokenizer = TryFind(id, out var model) ? model.Tokenizer : MatchPrefix(id)?.Tokenizer;
        return tokenizer ?? TokenEncoding.O200kBase;
    }

    /// <summary>A catalog where each given entry replaces the entry of the same id, or is added.</summary>
    public ModelCatalog WithOverrides(IReadOnlyList<ModelInfo> overrides) =>
        WithOverrides(new ModelCatalogReadResult(overrides, Array.Empty<CatalogProblem>()));

    /// <summary>
    /// A catalog with what an override file read: each entry replaces the entry of the same id or is added, its id
    /// prefixes are tried before this catalog's, and its other known ids are added.
    /// </summary>
    public ModelCatalog WithOverrides(ModelCatalogReadResult overrides)
    {
        if (overrides.Models.Count == 0 && overrides.IdPrefixes.Count == 0 && overrides.OtherKnownIds.Count == 0)
        {
            return this;
        }

        var byId = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var model in Models.Concat(overrides.Models))
        {
            if (!byId.ContainsKey(model.Id))
            {
                order.Add(model.Id);
            }

            byId[model.Id] = model;
        }

        return new ModelCatalog(
            order.Select(id => byId[id]),
            overrides.IdPrefixes.Concat(IdPrefixes),
            _otherKnownIds.Concat(overrides.OtherKnownIds),
            NameComparer);
    }

    /// <summary>True for names sent to an API (<c>gpt-4o</c>), false for SDK member names (<c>ClaudeOpus4_6</c>).</summary>
    public static bool IsWireName(string name) => ModelIds.IsWireName(name);

    /// <summary><c>gpt-4o-2024-08-06</c> → <c>gpt-4o</c>; <c>claude-3-7-sonnet-latest</c> → <c>claude-3-7-sonnet</c>.</summary>
    internal static string? StripVersionSuffix(string name) => ModelIds.StripVersionSuffix(name);

    private ModelIdPrefix? MatchPrefix(string id)
    {
        foreach (var prefix in IdPrefixes)
        {
            if (prefix.Matches(id))
            {
                return prefix;
            }
        }

        return null;
    }
}
