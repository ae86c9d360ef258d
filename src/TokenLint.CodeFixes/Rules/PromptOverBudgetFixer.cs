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

/// <summary>
/// TL4001: move a prompt held in a <c>const string</c> field into a new <c>[CachedPrompt]</c> type, as its static
/// section, so that the generator lays it out first and reports its token count and hash at build time.
/// </summary>
/// <remarks>
/// <para>
/// References: every C# reference to the old constant is redirected to the new section, and the old field is
/// removed, unless code outside the assembly can see it; then it stays, as an alias of the section
/// (<c>public const string Text = SupportPolicyTextPrompt.Text;</c>), so that other assemblies still compile. A
/// constant's value is inlined at each use, so the program sends byte for byte what it sent before. Keeping the
/// old field as an alias everywhere would have been simpler, but every call would still send the alias: TL4001
/// would then report the same text twice (at the alias and at the section) and the fix would be offered again.
/// After the redirect, calls send the section, which TL4001 reports once, where it is declared.
/// </para>
/// <para>
/// The new section is <c>internal</c> (<c>public</c> when the old field was visible outside the assembly): a
/// <c>private</c> section, as a hand-written <c>[CachedPrompt]</c> type would have, could not be read by the
/// code that sends it today.
/// </para>
/// <para>
/// Offered only when the result compiles and nothing is lost: the field is a <c>const string</c> initialised with
/// one string literal (regular, verbatim or raw, copied as written), alone in its declaration, with no attributes
/// but <c>[PromptBudget]</c> (which moves with it), no preprocessor directives and no <c>cref</c> in its
/// comments; its type is not a <c>[CachedPrompt]</c> type; the project references TokenLint's attributes. An
/// interpolated constant, a concatenation or a prompt written at the call is left alone: they may read names the
/// new type cannot see.
/// </para>
/// <para>
/// Moving the text into an existing <c>[CachedPrompt]</c> type is not offered: it would change what that type
/// renders, so its callers would send the text a second time.
/// </para>
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PromptOverBudgetFixer)), Shared]
public sealed class PromptOverBudgetFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.PromptOverBudget + ".MoveIntoNewCachedPrompt";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PromptOverBudget);

    public override FixAllProvider GetFixAllProvider() => MoveAll.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await MovableFieldAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } field)
            {
                var solution = context.Document.Project.Solution;
                var compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
                string typeName = FreeTypeName(compilation!, field.Symbol, new HashSet<string>());
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Move '{field.Symbol.Name}' into a new [CachedPrompt] type '{typeName}'",
                        ct => MoveAsync(solution, new[] { field }, ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>A constant the fix can move, with what it needs of the document it was found in.</summary>
    private sealed record MovableField(Document Document, IFieldSymbol Symbol, FieldDeclarationSyntax Declaration, VariableDeclaratorSyntax Declarator, LiteralExpressionSyntax Literal, int? Budget);

    private static async Task<MovableField?> MovableFieldAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Location.IsInSource
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { } declarator
            || declarator.Span != diagnostic.Location.SourceSpan
            || declarator is not { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax declaration } }
            || !declaration.Modifiers.Any(SyntaxKind.ConstKeyword)
            || declarator.Initializer?.Value is not LiteralExpressionSyntax literal
            || !literal.IsKind(SyntaxKind.StringLiteralExpression)
            || declaration.ContainsDirectives
            || declaration.GetLeadingTrivia().Any(t => t.HasStructure && t.GetStructure()!.DescendantNodes().OfType<CrefSyntax>().Any())
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } semanticModel
            || semanticModel.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol { IsConst: true, Type.SpecialType: SpecialType.System_String } field
            || field.ContainingType is not { } containingType
            // The generator adds members of its own to the new type: a section may not take their names.
            || GeneratedMembers.IsGeneratedName(field.Name)
            || NewTypeAnchor(declaration) is null)
        {
            return null;
        }

        var compilation = semanticModel.Compilation;
        var cachedPrompt = compilation.GetTypeByMetadataName(PromptSections.CachedPromptAttributeName);
        var section = compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName);
        var stability = compilation.GetTypeByMetadataName("TokenLint.Stability");
        var budget = compilation.GetTypeByMetadataName(PromptSections.PromptBudgetAttributeName);
        if (cachedPrompt is null || section is null || stability is null
            || !new[] { cachedPrompt, section, stability }.All(t => compilation.IsSymbolAccessibleWithin(t, compilation.Assembly))
            || containingType.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, cachedPrompt)))
        {
            return null;
        }

        // [PromptBudget] moves with the text (TL4001 reads it at the section); any other attribute could read names of
        // the type it leaves, so its field stays where it is.
        int? maxTokens = null;
        foreach (var attribute in field.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, budget) || attribute.ConstructorArguments.FirstOrDefault().Value is not int value)
            {
                return null;
            }

            maxTokens = value;
        }

        return new MovableField(document, field, declaration, declarator, literal, maxTokens);
    }

    /// <summary>Moves each field into a type of its own, all in one new solution.</summary>
    private static async Task<Solution> MoveAsync(Solution solution, IReadOnlyList<MovableField> fields, CancellationToken cancellationToken)
    {
        var editors = new Dictionary<DocumentId, SyntaxEditor>();
        var planned = new HashSet<string>();
        var newTypes = new List<(DocumentId Document, SyntaxNode After, MemberDeclarationSyntax Type)>();
        foreach (var field in fields)
        {
            var compilation = (await field.Document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
            string typeName = FreeTypeName(compilation, field.Symbol, planned);
            planned.Add(QualifiedName(field.Symbol.ContainingNamespace, typeName));
            bool visibleOutside = IsVisibleOutsideAssembly(field.Symbol);
            string sectionName = field.Declarator.Identifier.Text;
            string qualifiedType = "global::" + QualifiedName(field.Symbol.ContainingNamespace, typeName);
            string qualified = qualifiedType + "." + sectionName;

            // The new type goes in the field's file, in the namespace of the type that holds the field. A new file would
            // read better, but dotnet format (MSBuildWorkspace) writes <Compile Include> for an added document into an
            // SDK-style project, whose default items then include it twice: NETSDK1022, and the build fails.
            var outerType = field.Declaration.Ancestors().OfType<BaseTypeDeclarationSyntax>().Last();
            var last = NewTypeAnchor(field.Declaration)!;
            var text = await field.Document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            newTypes.Add((field.Document.Id, last, NewTypeDeclaration(field, typeName, visibleOutside, LineBreak(text), Indentation(outerType))));

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
    private static SyntaxNode? NewTypeAnchor(FieldDeclarationSyntax field)
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

    /// <summary>
    /// The new type: the field's doc comment and <c>[PromptBudget]</c>, and the literal copied as written, line breaks
    /// included, so that the constant's value is unchanged. TokenLint's names are written in full and reduced later.
    /// </summary>
    private static MemberDeclarationSyntax NewTypeDeclaration(MovableField field, string typeName, bool visibleOutside, string eol, string indent)
    {
        const string TokenLint = "global::TokenLint.";
        string accessibility = visibleOutside ? "public" : "internal";
        string origin = field.Symbol.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + "." + field.Symbol.Name;
        var builder = new StringBuilder(eol);
        builder.Append(indent).Append($"/// <summary>The prompt that was <c>{origin.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")}</c>, as a static section the [CachedPrompt] generator lays out first.</summary>").Append(eol);
        builder.Append(indent).Append($"[{TokenLint}CachedPrompt]").Append(eol);
        builder.Append(indent).Append($"{accessibility} static partial class {typeName}").Append(eol);
        builder.Append(indent).Append('{').Append(eol);
        foreach (var line in DocumentationLines(field.Declaration))
        {
            builder.Append(indent).Append("    ").Append(line).Append(eol);
        }

        builder.Append(indent).Append($"    [{TokenLint}PromptSection({TokenLint}Stability.Static)]").Append(eol);
        if (field.Budget is { } budget)
        {
            builder.Append(indent).Append($"    [{TokenLint}PromptBudget({budget.ToString(System.Globalization.CultureInfo.InvariantCulture)})]").Append(eol);
        }

        builder.Append(indent).Append($"    {accessibility} const string {field.Declarator.Identifier.Text} = {field.Literal.Token.Text};").Append(eol);
        builder.Append(indent).Append('}').Append(eol);
        return SyntaxFactory.ParseMemberDeclaration(builder.ToString())!
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }

    private static string LineBreak(Microsoft.CodeAnalysis.Text.SourceText text) =>
        text.Lines.Count > 1 && text.Lines[0].EndIncludingLineBreak - text.Lines[0].End == 2 ? "\r\n" : "\n";

    /// <summary>The white space before the type's first token on its line.</summary>
    private static string Indentation(SyntaxNode node) =>
        node.GetLeadingTrivia().LastOrDefault() is var last && last.IsKind(SyntaxKind.WhitespaceTrivia) ? last.ToString() : "";

    /// <summary>The field's <c>///</c> comment, its lines without their indentation.</summary>
    private static IEnumerable<string> DocumentationLines(FieldDeclarationSyntax declaration)
    {
        foreach (var trivia in declaration.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)))
        {
            foreach (string line in trivia.ToFullString().Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.Length > 0)
                {
                    yield return trimmed.StartsWith("///", System.StringComparison.Ordinal) ? trimmed : "/// " + trimmed;
                }
            }
        }
    }

    /// <summary>
    /// <c>SupportPolicyTextPrompt</c> for <c>SupportPolicy.Text</c> (the containing type's name, the field's, then
    /// "Prompt", not repeated), with a number when the name is taken: by the namespace, by this fix, by a type of
    /// that name in any namespace, or by a name any file of the project spells that way. A new type in the
    /// namespace would hide another namespace's type, or a using alias, of that name from the namespace's files
    /// that import it (CS0117 on their member accesses).
    /// </summary>
    private static string FreeTypeName(Compilation compilation, IFieldSymbol field, HashSet<string> planned)
    {
        string fieldPart = field.Name.EndsWith("Prompt", System.StringComparison.Ordinal) ? field.Name.Substring(0, field.Name.Length - "Prompt".Length) : field.Name;
        string name = field.ContainingType.Name + fieldPart + "Prompt";
        var ns = field.ContainingNamespace;
        string candidate = name;
        for (int suffix = 2;
            ns.GetMembers(candidate).Any() || planned.Contains(QualifiedName(ns, candidate))
                || compilation.GetTypeByMetadataName(QualifiedName(ns, candidate)) is not null
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

    private static string QualifiedName(INamespaceSymbol ns, string? typeName)
    {
        var format = SymbolDisplayFormat.FullyQualifiedFormat
            .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);
        string nsName = ns.IsGlobalNamespace ? "" : ns.ToDisplayString(format);
        return typeName is null ? nsName : nsName.Length == 0 ? typeName : nsName + "." + typeName;
    }

    /// <summary>True when code in another assembly can read the field (ignoring InternalsVisibleTo, which sees internal members too).</summary>
    private static bool IsVisibleOutsideAssembly(ISymbol symbol)
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

    /// <summary>FixAll: every movable constant of the scope, each into its own new type, in one solution.</summary>
    private sealed class MoveAll : FixAllProvider
    {
        public static readonly MoveAll Instance = new();

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var diagnostics = new List<(Document Document, Diagnostic Diagnostic)>();
            switch (fixAllContext.Scope)
            {
                case FixAllScope.Document when fixAllContext.Document is { } document:
                    diagnostics.AddRange((await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)).Select(d => (document, d)));
                    break;
                case FixAllScope.Project or FixAllScope.Solution:
                    var projects = fixAllContext.Scope == FixAllScope.Solution ? fixAllContext.Solution.Projects : new[] { fixAllContext.Project };
                    foreach (var project in projects)
                    {
                        foreach (var diagnostic in await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false))
                        {
                            if (diagnostic.Location.SourceTree is { } tree && project.GetDocument(tree) is { } inProject)
                            {
                                diagnostics.Add((inProject, diagnostic));
                            }
                        }
                    }

                    break;
            }

            var fields = new List<MovableField>();
            foreach (var (document, diagnostic) in diagnostics.OrderBy(d => d.Document.FilePath ?? d.Document.Name, System.StringComparer.Ordinal).ThenBy(d => d.Diagnostic.Location.SourceSpan.Start))
            {
                if (await MovableFieldAsync(document, diagnostic, fixAllContext.CancellationToken).ConfigureAwait(false) is { } field
                    && !fields.Any(f => SymbolEqualityComparer.Default.Equals(f.Symbol, field.Symbol)))
                {
                    fields.Add(field);
                }
            }

            return fields.Count == 0
                ? null
                : CodeAction.Create("Move each prompt constant into a new [CachedPrompt] type", ct => MoveAsync(fixAllContext.Solution, fields, ct), EquivalenceKey);
        }
    }
}
