using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using TokenLint.Analysis.Configuration;
using TokenLint.Analyzers;
using TokenLint.Analyzers.Rules;

namespace TokenLint.CodeFixes.Rules;

/// <summary>
/// TL4003: accept the prompt's new size into <c>tokenlint.baseline.json</c>. The fix edits the baseline through
/// the workspace (analyzers never write files), rewriting only the number recorded for that prompt.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PromptGrewPastBaselineFixer)), Shared]
public sealed class PromptGrewPastBaselineFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.PromptGrewPastBaseline + ".AcceptNewSize";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PromptGrewPastBaseline);

    public override FixAllProvider GetFixAllProvider() => AcceptAll.Instance;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Update(diagnostic) is { } update)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Accept {update.Count:N0} tokens into the baseline",
                        ct => AcceptAsync(context.Document.Project, new[] { update }, ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static (string Key, int Count)? Update(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(PromptGrewPastBaselineAnalyzer.KeyProperty, out var key) && key is not null
        && diagnostic.Properties.TryGetValue(PromptGrewPastBaselineAnalyzer.CountProperty, out var count)
        && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? (key, value)
            : null;

    private static async Task<Solution> AcceptAsync(Project project, IEnumerable<(string Key, int Count)> updates, CancellationToken cancellationToken)
    {
        var baseline = project.AdditionalDocuments.FirstOrDefault(d => Path.GetFileName(d.FilePath ?? d.Name).Equals(PromptBaseline.FileName, System.StringComparison.OrdinalIgnoreCase));
        if (baseline is null)
        {
            return project.Solution;
        }

        var text = await baseline.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var entries = PromptBaseline.Read(baseline.FilePath ?? baseline.Name, text.ToString()).Entries;
        var changes = updates
            .GroupBy(u => u.Key)
            .Select(g => (Entry: entries.TryGetValue(g.Key, out var entry) ? entry : null, Count: g.Max(u => u.Count)))
            .Where(u => u.Entry is not null)
            .Select(u => new TextChange(new TextSpan(u.Entry!.ValueOffset, u.Entry.ValueLength), u.Count.ToString(CultureInfo.InvariantCulture)));
        return project.Solution.WithAdditionalDocumentText(baseline.Id, text.WithChanges(changes));
    }

    /// <summary>FixAll: every accepted size of the scope in one edit of each project's baseline.</summary>
    private sealed class AcceptAll : FixAllProvider
    {
        public static readonly AcceptAll Instance = new();

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var projects = fixAllContext.Scope == FixAllScope.Solution ? fixAllContext.Solution.Projects : new[] { fixAllContext.Project };
            var updates = new List<(Project Project, (string Key, int Count) Update)>();
            foreach (var project in projects)
            {
                foreach (var diagnostic in await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false))
                {
                    if (Update(diagnostic) is { } update)
                    {
                        updates.Add((project, update));
                    }
                }
            }

            return CodeAction.Create(
                "Accept every new size into the baseline",
                async ct =>
                {
                    var solution = fixAllContext.Solution;
                    foreach (var group in updates.GroupBy(u => u.Project.Id))
                    {
                        solution = await AcceptAsync(solution.GetProject(group.Key)!, group.Select(g => g.Update), ct).ConfigureAwait(false);
                    }

                    return solution;
                },
                EquivalenceKey);
        }
    }
}
