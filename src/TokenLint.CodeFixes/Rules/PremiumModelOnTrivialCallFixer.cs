using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>TL1001: switch the call to the catalog's cheaper sibling.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PremiumModelOnTrivialCallFixer)), Shared]
public sealed class PremiumModelOnTrivialCallFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.PremiumModelOnTrivialCall + ".UseCheaperSibling";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PremiumModelOnTrivialCall);

    public override FixAllProvider GetFixAllProvider() => ModelIdFixAllProvider.Instance;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (ModelIdReplacement.TryGetReplacement(diagnostic, out var sibling))
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Use the cheaper '{sibling}'", ct => ModelIdReplacement.ApplyAsync(context.Document, new[] { diagnostic }, ct), EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }
}
