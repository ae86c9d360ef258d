using System;

namespace TokenLint;

/// <summary>Marks a partial type whose <see cref="PromptSectionAttribute"/> members TokenLint's generator lays out
/// static → session → volatile, with cache breakpoints at the boundaries.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class CachedPromptAttribute : Attribute
{
    /// <summary>The model id the prompt is sent to (for example <c>claude-sonnet-4-5</c>). It decides the minimum
    /// cacheable prefix and the token counter. Optional.</summary>
    public string? Model { get; set; }

    /// <summary>How long the provider keeps the static prefix: <see cref="CacheTtl.OneHour"/> puts a 1-hour
    /// breakpoint on the static block of Anthropic requests. The session block stays at five minutes, since a
    /// longer breakpoint may not follow a shorter one. Five minutes when unset.</summary>
    public CacheTtl StaticCacheTtl { get; set; } = CacheTtl.FiveMinutes;
}
