using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Namespace tests that walk the symbol's containing namespaces instead of formatting them: the rules ask these for
/// every call and value they read, and <c>ToDisplayString()</c> built a string each time.
/// </summary>
public static class NamespaceNames
{
    /// <summary>Whether <paramref name="ns"/> is exactly the namespace <paramref name="dottedName"/> (<c>System.Text.Json</c>).</summary>
    public static bool Is(INamespaceSymbol? ns, string dottedName) =>
        ns is not null && MatchesFromEnd(ns, dottedName, dottedName.Length) is { } rest && rest.IsGlobalNamespace;

    /// <summary>Whether <paramref name="ns"/> is <paramref name="dottedName"/> or a namespace inside it.</summary>
    public static bool IsOrIsIn(INamespaceSymbol? ns, string dottedName)
    {
        for (var current = ns; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
        {
            if (Is(current, dottedName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Matches the namespace's names against <paramref name="dottedName"/> from its end (<c>Json</c>, then
    /// <c>Text</c>, then <c>System</c>); returns the namespace left once every name matched, else null.
    /// </summary>
    private static INamespaceSymbol? MatchesFromEnd(INamespaceSymbol ns, string dottedName, int end)
    {
        var current = ns;
        while (end > 0)
        {
            if (current is null || current.IsGlobalNamespace)
            {
                return null;
            }

            int start = dottedName.LastIndexOf('.', end - 1) + 1;
            string name = current.Name;
            if (name.Length != end - start || string.CompareOrdinal(name, 0, dottedName, start, name.Length) != 0)
            {
                return null;
            }

            current = current.ContainingNamespace;
            end = start - 1;
        }

        return current;
    }
}
