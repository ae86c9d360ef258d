using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>TL1002: replace a misspelt or retired model id with the suggested one.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnknownOrRetiredModelIdFixer)), Shared]
public sealed class UnknownOrRetiredModelIdFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.UnknownOrRetiredModelId + ".ReplaceModelId";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UnknownOrRetiredModelId);

    public override FixAllProvider GetFixAllProvider() => ModelIdFixAllProvider.Instance;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (ModelIdReplacement.TryGetReplacement(diagnostic, out var replacement))
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Use '{replacement}'", ct => ModelIdReplacement.ApplyAsync(context.Document, new[] { diagnostic }, ct), EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }
}
