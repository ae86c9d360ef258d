using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// Prompts a method sends with its own parameters (<c>AskAsync(string systemPrompt, string question)</c>), as one
/// call of the method sends them.
/// </summary>
public static partial class PromptTextBuilder
{
    /// <summary>
    /// The text a method sends, as one call of it sends it: where the method writes one of its parameters as it is,
    /// the text of the call's argument goes. <paramref name="given"/> receives the segments the arguments gave, but
    /// not an argument that is only the caller's own parameter handed on: that caller's callers give its text.
    /// </summary>
    /// <param name="arguments">Receives, in order, each argument whose text went in.</param>
    public static PromptText Substitute(PromptText text, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, ISet<PromptSegment> given, IList<IOperation>? used = null)
    {
        var segments = new List<PromptSegment>(text.Segments.Count);
        foreach (var segment in text.Segments)
        {
            if (segment.Parameter is not { } parameter || !IsParameterOf(parameter, method))
            {
                segments.Add(segment);
                continue;
            }

            var argument = arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal);
            if (argument is null || parameter.IsParams)
            {
                segments.Add(new PromptSegment(Volatility.Unknown, null, null, segment.Syntax));
                continue;
            }

            var argumentText = Build(argument.Value).Segments;
            segments.AddRange(argumentText);
            used?.Add(argument.Value);
            if (argumentText is not [{ Parameter: not null }])
            {
                given.UnionWith(argumentText);
            }
        }

        return new PromptText(segments);
    }

    /// <summary>True when the text writes one of the method's parameters as it is.</summary>
    public static bool WritesParameterOf(PromptText text, IMethodSymbol method) =>
        text.Segments.Any(s => s.Parameter is { } parameter && IsParameterOf(parameter, method));

    private static bool IsParameterOf(IParameterSymbol parameter, IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, method.OriginalDefinition);
}
