using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Simplification;
using TokenLint.Analysis.Prompts;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>The name of the type the TL4001 fix creates, free in the field's namespace.</summary>
internal static class CachedPromptTypeName
{
    /// <summary>
    /// <c>SupportPolicyTextPrompt</c> for <c>SupportPolicy.Text</c> (the containing type's name, the field's, then
    /// "Prompt", not repeated), with a number when the name is taken: by the namespace, by this fix, by a type of
    /// that name in any namespace, or by a name any file of the project spells that way. A new type in the
    /// namespace would hide another namespace's type, or a using alias, of that name from the namespace's files
    /// that import it (CS0117 on their member accesses).
    /// </summary>
    internal static string Free(Compilation compilation, IFieldSymbol field, HashSet<string> planned)
    {
        string fieldPart = field.Name.EndsWith("Prompt", System.StringComparison.Ordinal) ? field.Name.Substring(0, field.Name.Length - "Prompt".Length) : field.Name;
        string name = field.ContainingType.Name + fieldPart + "Prompt";
        var ns = field.ContainingNamespace;
        string candidate = name;
        for (int suffix = 2;
            ns.GetMembers(candidate).Any() || planned.Contains(Qualified(ns, candidate))
                || compilation.GetTypeByMetadataName(Qualified(ns, candidate)) is not null
                || compilation.GetSymbolsWithName(candidate, SymbolFilter.Type).Any()
                || compilation.SyntaxTrees.Any(tree => Spells(tree, candidate));
            suffix++)
        {
            candidate = name + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>Whether a file has an identifier with this name: a type imported with a using, an alias, a reference.</summary>
    private static bool Spells(SyntaxTree tree, string name) =>
        tree.GetText().ToString().Contains(name)
        && tree.GetRoot().DescendantTokens().Any(token => token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name);

    internal static string Qualified(INamespaceSymbol ns, string? typeName)
    {
        var format = SymbolDisplayFormat.FullyQualifiedFormat
            .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);
        string nsName = ns.IsGlobalNamespace ? "" : ns.ToDisplayString(format);
        return typeName is null ? nsName : nsName.Length == 0 ? typeName : nsName + "." + typeName;
    }
}
