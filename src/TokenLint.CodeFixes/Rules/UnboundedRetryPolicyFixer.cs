using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analysis.CallSites;
using TokenLint.Analyzers;
using TokenLint.Analyzers.Rules;

namespace TokenLint.CodeFixes.Rules;

/// <summary>
/// TL3002: a finite bound. <c>RetryForever(…)</c> becomes <c>Retry(3, …)</c> (and likewise for the async and
/// wait-and-retry forms) when that overload exists; a cap set to a huge number gets the library's default.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedRetryPolicyFixer)), Shared]
public sealed class UnboundedRetryPolicyFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.UnboundedRetryPolicy + ".SetFiniteBound";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UnboundedRetryPolicy);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(UnboundedRetryPolicyAnalyzer.BoundProperty, out var bound) || bound is null)
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            SyntaxNode? original = null, replacement = null;
            if (node is SimpleNameSyntax name && name.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } access
                && RetryPolicies.CanBound(semanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol as IMethodSymbol)
                && Bounded(invocation, access, name, bound) is { } bounded
                && semanticModel.GetSpeculativeSymbolInfo(invocation.SpanStart, bounded, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol)
            {
                (original, replacement) = (invocation, bounded.WithTriviaFrom(invocation));
            }
            else if (node is ExpressionSyntax value && value.Parent is AssignmentExpressionSyntax)
            {
                (original, replacement) = (value, SyntaxFactory.ParseExpression(bound).WithTriviaFrom(value));
            }

            if (original is not null && replacement is not null)
            {
                var (from, to) = (original, replacement);
                context.RegisterCodeFix(
                    CodeAction.Create($"Set a finite bound ({bound})", ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(from, to))), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary><c>x.RetryForever()</c> → <c>x.Retry(3)</c>; <c>x.WaitAndRetryForever(delay)</c> → <c>x.WaitAndRetry(3, delay)</c>.</summary>
    private static InvocationExpressionSyntax? Bounded(InvocationExpressionSyntax invocation, MemberAccessExpressionSyntax access, SimpleNameSyntax name, string bound)
    {
        string boundedName = RetryPolicies.BoundedName(name.Identifier.ValueText);
        if (boundedName == name.Identifier.ValueText)
        {
            return null;
        }

        SimpleNameSyntax newName = name is GenericNameSyntax generic
            ? generic.WithIdentifier(SyntaxFactory.Identifier(boundedName))
            : SyntaxFactory.IdentifierName(boundedName);
        var count = SyntaxFactory.Argument(SyntaxFactory.ParseExpression(bound));
        return invocation
            .WithExpression(access.WithName(newName.WithTriviaFrom(name)))
            .WithArgumentList(invocation.ArgumentList.WithArguments(invocation.ArgumentList.Arguments.Insert(0, count)));
    }
}
