using System;
using System.Globalization;

namespace TokenLint.Runtime;

/// <summary>The same request was sent too many times in a short window: a retry or agent loop that does not stop.</summary>
public sealed class RequestLoopDetectedException : TokenGuardException
{
    internal RequestLoopDetectedException(string fingerprint, int count, TimeSpan window, TokenScope? scope)
        : base(Describe(fingerprint, count, window, scope))
    {
        Fingerprint = fingerprint;
        Count = count;
        Window = window;
    }

    /// <summary>The first 16 hex digits of the request's SHA-256 (messages, options, scope): the same for every repeat.</summary>
    public string Fingerprint { get; }

    /// <summary>How many identical requests the window held, this one included.</summary>
    public int Count { get; }

    public TimeSpan Window { get; }

    private static string Describe(string fingerprint, int count, TimeSpan window, TokenScope? scope)
    {
        string seconds = window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        string where = scope is null ? "" : $" in {scope}";
        return $"The same request (fingerprint {fingerprint}) was sent {count} times within {seconds} s{where}: "
            + "a loop that repeats an identical call will not get a different answer. The call was not sent.";
    }
}
