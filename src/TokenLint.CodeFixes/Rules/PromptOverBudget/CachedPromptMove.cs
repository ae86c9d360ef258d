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

/// <summary>The TL4001 fix's edit: redirect every reference to the section, remove (or alias) the old field, insert the new types.</summary>
internal static class CachedPromptMove
{
    /// <summary>Moves each field into a type of its own, all in one new solution.</summary>
    internal static async Task<Solution> MoveAsync(Solution solution, IReadOnlyList<MovableField> fields, CancellationToken cancellationToken)
    {
        var editors = new Dictionary<DocumentId, SyntaxEditor>();
        var planned = new HashSet<string>();
        var newTypes = new List<(DocumentId Document, SyntaxNode After, MemberDeclarationSyntax Type)>();
        foreach (var field in fields)
        {
            var compilation = (await field.Document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
            string typeName = CachedPromptTypeName.Free(compilation, field.Symbol, planned);
            planned.Add(CachedPromptTypeName.Qualified(field.Symbol.ContainingNamespace, typeName));
            bool visibleOutside = IsVisibleOutsideAssembly(field.Symbol);
            string sectionName = field.Declarator.Identifier.Text;
            string qualifiedType = "global::" + CachedPromptTypeName.Qualified(field.Symbol.ContainingNamespace, typeName);
            string qualified = qualifiedType + "." + sectionName;

            // The new type goes in the field's file, in the namespace of the type that holds the field. A new file would
            // read better, but dotnet format (MSBuildWorkspace) writes <Compile Include> for an added document into an
            // SDK-style project, whose default items then include it twice: NETSDK1022, and the build fails.
            var outerType = field.Declaration.Ancestors().OfType<BaseTypeDeclarationSyntax>().Last();
            var last = NewTypeAnchor(field.Declaration)!;
            var text = await field.Document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            newTypes.Add((field.Document.Id, last, CachedPromptDeclaration.Create(field, typeName, visibleOutside, CachedPromptDeclaration.LineBreak(text), CachedPromptDeclaration.Indentation(outerType))));

            foreach (var reference in await SymbolFinder.FindReferencesAsync(field.Symbol, solution, cancellationToken).ConfigureAwait(false))
            {
                foreach (var location in reference.Locations)
                {
                    if (location.Document.Project.Language != LanguageNames.CSharp)
                    {
                        continue;
                    }

                    var editor = await EditorAsync(editors, location.Document, cancellationToken).ConfigureAwait(false);
                    var node = editor.OriginalRoot.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                    if (node.FirstAncestorOrSelf<CrefSyntax>() is { } cref)
                    {
                        while (cref.Parent is CrefSyntax outer)
                        {
                            cref = outer;
                        }

                        var newCref = SyntaxFactory.QualifiedCref(SyntaxFactory.ParseTypeName(qualifiedType), SyntaxFactory.NameMemberCref(SyntaxFactory.IdentifierName(sectionName)));
                        editor.ReplaceNode(cref, newCref.WithTriviaFrom(cref).WithAdditionalAnnotations(Simplifier.Annotation));
                        continue;
                    }

                    // Replace the whole access (SupportPolicy.Text, global::A.B.Text), not only its name.
                    SyntaxNode target = node;
                    while (target.Parent is MemberAccessExpressionSyntax access && access.Name == target
                        || target.Parent is QualifiedNameSyntax qualifiedName && qualifiedName.Right == target
                        || target.Parent is AliasQualifiedNameSyntax alias && alias.Name == target)
                    {
                        target = target.Parent;
                    }

                    editor.ReplaceNode(target, SyntaxFactory.ParseExpression(qualified).WithTriviaFrom(target).WithAdditionalAnnotations(Simplifier.Annotation));
                }
            }

            var declaringEditor = await EditorAsync(editors, field.Document, cancellationToken).ConfigureAwait(false);
            if (visibleOutside)
            {
                declaringEditor.ReplaceNode(field.Literal, SyntaxFactory.ParseExpression(qualified).WithTriviaFrom(field.Literal).WithAdditionalAnnotations(Simplifier.Annotation));
            }
            else
            {
                RemoveMember(declaringEditor, field.Declaration);
            }
        }

        // Types for several fields of one top-level type follow it in the fields' order.
        foreach (var group in newTypes.GroupBy(t => (t.Document, t.After)))
        {
            // A blank line before each; the member they follow may end the file without a line break.
            var types = group.Select(t => t.Type).ToList();
            if (!group.Key.After.GetTrailingTrivia().Any(SyntaxKind.EndOfLineTrivia))
            {
                types[0] = types[0].WithLeadingTrivia(types[0].GetLeadingTrivia().Insert(0, types[0].GetLeadingTrivia()[0]));
            }

            editors[group.Key.Document].InsertAfter(group.Key.After, types);
        }

        var updated = solution;
        foreach (var editor in editors)
        {
            updated = updated.WithDocumentSyntaxRoot(editor.Key, editor.Value.GetChangedRoot());
        }

        foreach (var id in editors.Keys)
        {
            // using TokenLint; where the names bind to TokenLint's, else they stay qualified.
            var document = await ImportAdder.AddImportsAsync(updated.GetDocument(id)!, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            updated = document.Project.Solution;
        }

        return updated;
    }

    /// <summary>
    /// The member the new type goes after: the last of the members that follow the field's outermost type with no
    /// preprocessor directive before them, so that types moved one fix at a time line up as Fix All lines them up,
    /// and the new type is compiled whenever the field was (never inside an <c>#if</c> block that follows the type).
    /// Null when a directive inside the type leaves a conditional block open or closes one it did not open.
    /// </summary>
    internal static SyntaxNode? NewTypeAnchor(FieldDeclarationSyntax field)
    {
        var outerType = field.Ancestors().OfType<BaseTypeDeclarationSyntax>().Last();
        var siblings = outerType.Parent switch
        {
            BaseNamespaceDeclarationSyntax ns => ns.Members,
            CompilationUnitSyntax unit => unit.Members,
            _ => default,
        };
        SyntaxNode anchor = outerType;
        for (int i = siblings.IndexOf((MemberDeclarationSyntax)outerType) + 1; i > 0 && i < siblings.Count && !siblings[i].ContainsDirectives; i++)
        {
            anchor = siblings[i];
        }

        // Between the start of the type and the end of the anchor, every #if must be closed and nothing opened before
        // may be closed or switched (#else, #elif): then the new type sits under the same conditions as the type.
        int depth = 0;
        foreach (var directive in outerType.DescendantTrivia().Where(t => t.IsDirective && outerType.Span.Contains(t.SpanStart)))
        {
            switch (directive.Kind())
            {
                case SyntaxKind.IfDirectiveTrivia:
                    depth++;
                    break;
                case SyntaxKind.EndIfDirectiveTrivia:
                    depth--;
                    break;
                case SyntaxKind.ElseDirectiveTrivia or SyntaxKind.ElifDirectiveTrivia when depth == 0:
                    return null;
            }

            if (depth < 0)
            {
                return null;
            }
        }

        return depth == 0 ? anchor : null;
    }

    /// <summary>Removes the field with its comments; the blank line after it goes too when none was before it.</summary>
    private static void RemoveMember(SyntaxEditor editor, MemberDeclarationSyntax member)
    {
        if (member.Parent is TypeDeclarationSyntax type
            && type.Members.IndexOf(member) is var index && index + 1 < type.Members.Count
            && !StartsWithBlankLine(member.GetLeadingTrivia())
            && type.Members[index + 1] is var next && StartsWithBlankLine(next.GetLeadingTrivia()))
        {
            editor.ReplaceNode(next, (current, _) =>
            {
                var trivia = current.GetLeadingTrivia();
                int blankLineEnd = trivia.IndexOf(trivia.First(t => t.IsKind(SyntaxKind.EndOfLineTrivia)));
                return current.WithLeadingTrivia(trivia.Skip(blankLineEnd + 1));
            });
        }

        editor.RemoveNode(member, SyntaxRemoveOptions.KeepNoTrivia);
    }

    private static bool StartsWithBlankLine(SyntaxTriviaList trivia) =>
        trivia.TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia)).Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));

    private static async Task<SyntaxEditor> EditorAsync(Dictionary<DocumentId, SyntaxEditor> editors, Document document, CancellationToken cancellationToken)
    {
        if (!editors.TryGetValue(document.Id, out var editor))
        {
            editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            editors.Add(document.Id, editor);
        }

        return editor;
    }

    /// <summary>True when code in another assembly can read the field (ignoring InternalsVisibleTo, which sees internal members too).</summary>
    internal static bool IsVisibleOutsideAssembly(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
