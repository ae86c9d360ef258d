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
    internal const string EquivalenceKey = RuleIdentifiers.PromptOverBudget + ".MoveIntoNewCachedPrompt";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PromptOverBudget);

    public override FixAllProvider GetFixAllProvider() => MoveAll.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await MovableField.FindAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } field)
            {
                var solution = context.Document.Project.Solution;
                var compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
                string typeName = CachedPromptTypeName.Free(compilation!, field.Symbol, new HashSet<string>());
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Move '{field.Symbol.Name}' into a new [CachedPrompt] type '{typeName}'",
                        ct => CachedPromptMove.MoveAsync(solution, new[] { field }, ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }
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
                if (await MovableField.FindAsync(document, diagnostic, fixAllContext.CancellationToken).ConfigureAwait(false) is { } field
                    && !fields.Any(f => SymbolEqualityComparer.Default.Equals(f.Symbol, field.Symbol)))
                {
                    fields.Add(field);
                }
            }

            return fields.Count == 0
                ? null
                : CodeAction.Create("Move each prompt constant into a new [CachedPrompt] type", ct => CachedPromptMove.MoveAsync(fixAllContext.Solution, fields, ct), EquivalenceKey);
        }
    }
}
