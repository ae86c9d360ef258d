namespace TokenLint;

/// <summary>How often a prompt section changes. The generated layout orders sections by this value so that the
/// provider's cached prefix stays byte-identical across calls.</summary>
public enum Stability
{
    /// <summary>Never changes at run time: instructions, few-shot examples, tool definitions. Cached.</summary>
    Static = 0,

    /// <summary>Changes per user or conversation, stable within one: a customer profile. Cached per session.</summary>
    Session = 1,

    /// <summary>Changes on every call: the time, the question. Never part of a cached prefix.</summary>
    Volatile = 2,
}
