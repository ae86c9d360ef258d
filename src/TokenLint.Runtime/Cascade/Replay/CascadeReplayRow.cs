using System.Collections.Generic;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// One recorded request: the prompt, each tier's answer (cheapest first) and, when known, whether each answer is
/// correct. The labels are used to score the replay only; the policy never sees them.
/// </summary>
public sealed record CascadeReplayRow(string Prompt, IReadOnlyList<string> Answers, IReadOnlyList<bool>? Correct = null);
