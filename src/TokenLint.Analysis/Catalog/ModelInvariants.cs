using System.Collections.Generic;

namespace TokenLint.Analysis.Catalog;

/// <summary>
/// Price relations every entry must satisfy: a cache read costs less than input, input less than a 5-minute
/// write, and a 5-minute write at most a 1-hour write. Catches stale tables and typos (a read price off by 10x).
/// </summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
static class ModelInvariants
{
    public static IEnumerable<string> Check(ModelInfo model)
    {
        if (model.CacheReadPrice is { } read && model.InputPrice is { } input && read >= input)
        {
            yield return $"cacheReadPrice ({read}) must be below inputPrice ({input})";
        }

        if (model.InputPrice is { } input5 && model.CacheWrite5mPrice is { } write5m && write5m <= input5)
        {
            yield return $"cacheWrite5mPrice ({write5m}) must be above inputPrice ({input5})";
        }

        if (model.CacheWrite5mPrice is { } w5 && model.CacheWrite1hPrice is { } w1h && w1h < w5)
        {
            yield return $"cacheWrite1hPrice ({w1h}) must not be below cacheWrite5mPrice ({w5})";
        }
    }
}
