namespace TokenLint;

/// <summary>How long a provider keeps a cached prefix after its last use (Anthropic's <c>cache_control.ttl</c>).</summary>
public enum CacheTtl
{
    /// <summary>Five minutes, refreshed free on every read; a write costs 1.25x the input price. The default.</summary>
    FiveMinutes = 0,

    /// <summary>One hour; a write costs 2x the input price. Pays off when calls come further apart than five
    /// minutes but within the hour, so that five-minute entries would expire and be written again.</summary>
    OneHour = 1,
}
