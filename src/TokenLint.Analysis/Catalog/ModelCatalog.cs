using System;
using System.Collections.Generic;
using System.Linq;

namespace TokenLint.Analysis.Catalog;

/// <summary>
/// The models TokenLint knows: the built-in catalog (generated at build time from <c>models.json</c>), plus any
/// entries a user's override file adds or changes. Lookups accept ids, aliases (SDK enum member names, dated ids)
/// and a known id followed by a date or <c>-latest</c>.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelInfo> _byName = new(StringComparer.Ordinal);

    public ModelCatalog(IEnumerable<ModelInfo> models)
    {
        Models = models.ToArray();
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

    public static ModelCatalog BuiltIn { get; } = new(BuiltInModels.Create());

    public IReadOnlyList<ModelInfo> Models { get; }

    /// <summary>Finds a model by id or alias, exactly (wire ids are case-sensitive).</summary>
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

    /// <summary>A catalog where each given entry replaces the entry of the same id, or is added.</summary>
    public ModelCatalog WithOverrides(IReadOnlyList<ModelInfo> overrides)
    {
        if (overrides.Count == 0)
        {
            return this;
        }

        var byId = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var model in Models.Concat(overrides))
        {
            if (!byId.ContainsKey(model.Id))
            {
                order.Add(model.Id);
            }

            byId[model.Id] = model;
        }

        return new ModelCatalog(order.Select(id => byId[id]));
    }

    /// <summary>True for names sent to an API (<c>gpt-4o</c>), false for SDK member names (<c>ClaudeOpus4_6</c>).</summary>
    public static bool IsWireName(string name) => ModelIds.IsWireName(name);

    /// <summary><c>gpt-4o-2024-08-06</c> → <c>gpt-4o</c>; <c>claude-3-7-sonnet-latest</c> → <c>claude-3-7-sonnet</c>.</summary>
    internal static string? StripVersionSuffix(string name) => ModelIds.StripVersionSuffix(name);
}
