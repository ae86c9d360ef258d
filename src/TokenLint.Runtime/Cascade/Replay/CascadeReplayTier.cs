namespace TokenLint.Runtime.Cascade;

/// <summary>A tier of a replayed cascade: its name (used as the model id) and its list prices in dollars per million tokens.</summary>
public sealed record CascadeReplayTier(string Name, decimal InputDollarsPerMillion, decimal OutputDollarsPerMillion)
{
    internal decimal Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputDollarsPerMillion + outputTokens * OutputDollarsPerMillion) / 1_000_000m;
}
