using System;

namespace TokenLint.Runtime;

/// <summary>Settings of <see cref="LoopGuardChatClient"/>.</summary>
public sealed class LoopGuardOptions
{
    /// <summary>
    /// The number of identical requests within <see cref="Window"/> at which the guard trips: with 5, the fifth
    /// identical request fails and is not sent. Default 5.
    /// </summary>
    public int MaxIdenticalRequests { get; set; } = 5;

    /// <summary>How far back identical requests are counted. Default one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (MaxIdenticalRequests < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIdenticalRequests), MaxIdenticalRequests, "The loop guard needs at least 2: the first request of a kind is never a loop.");
        }

        if (Window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "The window must be positive.");
        }
    }
}
