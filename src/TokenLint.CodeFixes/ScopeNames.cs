using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TokenLint.CodeFixes;

/// <summary>Names a fix introduces (a constant, a counter) that nothing in scope uses yet.</summary>
internal static class ScopeNames
{
    /// <summary>The name, or the name with a number (<c>attempt2</c>), free at <paramref name="position"/>.</summary>
    public static string Unused(SemanticModel semanticModel, int position, string name)
    {
        var taken = semanticModel.LookupSymbols(position).Select(s => s.Name).ToImmutableHashSet();
        string candidate = name;
        for (int suffix = 2; taken.Contains(candidate); suffix++)
        {
            candidate = name + suffix;
        }

        return candidate;
    }
}
