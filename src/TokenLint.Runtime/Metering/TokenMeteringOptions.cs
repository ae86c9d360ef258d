using System;
using System.Collections.Generic;
using TokenLint.Runtime.Diagnostics;
using TokenLint.Runtime.Pricing;

namespace TokenLint.Runtime;

/// <summary>Settings of <see cref="TokenMeteringChatClient"/>.</summary>
public sealed class TokenMeteringOptions
{
    /// <summary>Where each metered call goes (an <see cref="InMemoryTokenLedger"/>, a <see cref="JsonLinesTokenLedger"/>, your own).</summary>
    public IList<ITokenUsageSink> Sinks { get; } = new List<ITokenUsageSink>();

    /// <summary>Prices; the built-in catalog unless set (see <see cref="ModelPriceCatalog.WithOverrides(string)"/>).</summary>
    public ModelPriceCatalog Prices { get; set; } = ModelPriceCatalog.BuiltIn;

    /// <summary>The instruments to publish to; null picks the application's <c>IMeterFactory</c> when built with services, else a shared meter.</summary>
    public TokenLintMetrics? Metrics { get; set; }

    /// <summary>Publish cost and cache metrics (on by default).</summary>
    public bool EmitMetrics { get; set; } = true;

    /// <summary>
    /// The TTL to price cache writes at when the request does not show one. Microsoft.Extensions.AI does not pass the
    /// provider's 5-minute/1-hour split on, so a request's TTL is read from the cache control set on its content
    /// (the Anthropic adapter's <c>WithCacheControl</c>); set this when 1-hour writes are set some other way.
    /// </summary>
    public CacheWriteTtl DefaultCacheWriteTtl { get; set; } = CacheWriteTtl.FiveMinutes;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
