using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

    /// <summary>
    /// The names of the locals, pattern variables, loop variables, parameters and catch variables declared anywhere in
    /// <paramref name="scope"/> outside <paramref name="except"/>: a local the fix adds to that scope must not use one.
    /// </summary>
    public static ImmutableHashSet<string> DeclaredIn(SyntaxNode scope, SyntaxNode? except = null) =>
        scope.DescendantNodes()
            .Where(node => except is null || !except.Span.Contains(node.Span))
            .Select(node => node switch
            {
                VariableDeclaratorSyntax declarator => declarator.Identifier.ValueText,
                SingleVariableDesignationSyntax designation => designation.Identifier.ValueText,
                ForEachStatementSyntax forEach => forEach.Identifier.ValueText,
                ParameterSyntax parameter => parameter.Identifier.ValueText,
                CatchDeclarationSyntax caught => caught.Identifier.ValueText,
                _ => null,
            })
            .OfType<string>()
            .ToImmutableHashSet();
}
