using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Generators;

/// <summary>
/// Finds <c>[CachedPrompt]</c> types by the attribute's name in each file's text, then by symbol in the few files
/// that name it. <c>ForAttributeWithMetadataName</c> would join the compiler's walk of every syntax node of every
/// file, which the compiler charges to the first generator that asks for it: in a project with one large generated
/// file and no <c>[CachedPrompt]</c> type, 70 ms of a build's report went to TokenLint for nothing. A file's text is
/// searched once, and again only when that file changes.
/// </summary>
internal static class PromptTypeSearch
{
    /// <summary>The name every use of the attribute spells, in any of its forms, unless through an alias.</summary>
    public const string AttributeName = "CachedPrompt";

    private const int ChunkLength = 4096;

    /// <summary>Whether <paramref name="word"/> occurs in the file's text (comments included: a false hit costs a symbol check only).</summary>
    public static bool Mentions(SyntaxTree tree, string word, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken);
        if (text.Length < word.Length)
        {
            return false;
        }

        // Chunks overlapping by the word's length less one, so that no occurrence falls between two.
        var buffer = new char[Math.Min(ChunkLength, text.Length)];
        for (int start = 0; start < text.Length; start += buffer.Length - (word.Length - 1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(buffer.Length, text.Length - start);
            text.CopyTo(start, buffer, 0, count);
            if (new string(buffer, 0, count).IndexOf(word, StringComparison.Ordinal) >= 0)
            {
                return true;
            }

            if (start + count >= text.Length)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>The names of <c>global using Name = …CachedPrompt…;</c> aliases the file declares, which other files may use.</summary>
    public static IEnumerable<string> GlobalAliases(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (tree.GetRoot(cancellationToken) is not CompilationUnitSyntax unit)
        {
            yield break;
        }

        foreach (var directive in unit.Usings)
        {
            if (directive.GlobalKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.GlobalKeyword)
                && directive.Alias is { } alias
                && directive.NamespaceOrType.ToString().IndexOf(AttributeName, StringComparison.Ordinal) >= 0)
            {
                yield return alias.Name.Identifier.ValueText;
            }
        }
    }

    /// <summary>
    /// The type declarations of the file that <c>[CachedPrompt]</c> is applied to, each with its symbol and that
    /// attribute: types declared directly in a namespace or the file, partial and not file-local (TL9101 reports
    /// the others), as <c>ForAttributeWithMetadataName</c> would give them.
    /// </summary>
    public static IEnumerable<(TypeDeclarationSyntax Declaration, INamedTypeSymbol Type, AttributeData Attribute, SemanticModel Model)> AttributedTypes(
        SyntaxTree tree, Compilation compilation, CancellationToken cancellationToken)
    {
        var attributeType = compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName);
        if (attributeType is null || tree.GetRoot(cancellationToken) is not CompilationUnitSyntax unit)
        {
            yield break;
        }

        SemanticModel? model = null;
        foreach (var declaration in TopLevelTypes(unit.Members))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (declaration.AttributeLists.Count == 0 || !PromptSections.CanExtend(declaration))
            {
                continue;
            }

            model ??= compilation.GetSemanticModel(tree);
            if (model.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
            {
                continue;
            }

            foreach (var attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType)
                    && attribute.ApplicationSyntaxReference is { } reference
                    && reference.SyntaxTree == tree
                    && declaration.Span.Contains(reference.Span))
                {
                    yield return (declaration, type, attribute, model);
                    break;
                }
            }
        }
    }

    private static IEnumerable<TypeDeclarationSyntax> TopLevelTypes(SyntaxList<MemberDeclarationSyntax> members)
    {
        foreach (var member in members)
        {
            switch (member)
            {
                case TypeDeclarationSyntax type:
                    yield return type;
                    break;
                case BaseNamespaceDeclarationSyntax ns:
                    foreach (var nested in TopLevelTypes(ns.Members))
                    {
                        yield return nested;
                    }

                    break;
            }
        }
    }
}

/// <summary>A file and whether its text names the attribute; compared by the file (the same tree object between runs when unedited).</summary>
internal sealed class FileMention : IEquatable<FileMention>
{
    public FileMention(SyntaxTree tree, bool namesAttribute)
    {
        Tree = tree;
        NamesAttribute = namesAttribute;
    }

    public SyntaxTree Tree { get; }

    public bool NamesAttribute { get; }

    public bool Equals(FileMention? other) => other is not null && ReferenceEquals(Tree, other.Tree) && NamesAttribute == other.NamesAttribute;

    public override bool Equals(object? obj) => Equals(obj as FileMention);

    public override int GetHashCode() => Tree.GetHashCode();
}
