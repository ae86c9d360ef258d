using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analysis.CallSites;
using TokenLint.Analyzers;

namespace TokenLint.CodeFixes.Rules;

/// <summary>
/// TL2002: order the tools by name with an ordinal comparison, at the unordered source. A dictionary's values
/// are ordered by key; other sources by their elements' name (<c>Name</c>, or <c>FunctionName</c> for OpenAI's
/// <c>ChatTool</c>), or by the strings themselves.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ToolsInUnstableOrderFixer)), Shared]
public sealed class ToolsInUnstableOrderFixer : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.ToolsInUnstableOrder + ".OrderByName";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ToolsInUnstableOrder);

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax source
                && Ordered(source, semanticModel, context.CancellationToken) is { } ordered)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Order the tools by name", ct => ReplaceAsync(context.Document, source, ordered, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The ordered expression's text, or null when the elements have no name to order by.</summary>
    private static string? Ordered(ExpressionSyntax source, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        const string Ordinal = "global::System.StringComparer.Ordinal";
        var type = semanticModel.GetTypeInfo(source, cancellationToken).Type;
        if (source is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Values" } values
            && semanticModel.GetTypeInfo(values.Expression, cancellationToken).Type is INamedTypeSymbol { TypeArguments: [{ SpecialType: SpecialType.System_String }, _] })
        {
            return $"{values.Expression}.OrderBy(entry => entry.Key, {Ordinal}).Select(entry => entry.Value)";
        }

        var element = UnorderedEnumeration.ElementOf(type);
        if (element?.SpecialType == SpecialType.System_String)
        {
            return $"{source}.OrderBy(name => name, {Ordinal})";
        }

        string? nameProperty = ToolTypes.NameProperties.FirstOrDefault(name =>
            element?.GetMembers(name).OfType<IPropertySymbol>().Any(p => p.Type.SpecialType == SpecialType.System_String) == true
            || element?.AllInterfaces.Concat(BaseTypes(element)).Any(t => t.GetMembers(name).OfType<IPropertySymbol>().Any(p => p.Type.SpecialType == SpecialType.System_String)) == true);
        return nameProperty is null ? null : $"{source}.OrderBy(tool => tool.{nameProperty}, {Ordinal})";
    }

    private static System.Collections.Generic.IEnumerable<INamedTypeSymbol> BaseTypes(ITypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax source, string ordered, CancellationToken cancellationToken)
    {
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var replacement = SyntaxFactory.ParseExpression(ordered).WithTriviaFrom(source);
        root = root.ReplaceNode(source, replacement);
        if (!root.Usings.Any(u => u.Name?.ToString() == "System.Linq"))
        {
            root = root.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName("System.Linq")).WithTrailingTrivia(SyntaxFactory.ElasticLineFeed));
        }

        return document.WithSyntaxRoot(root);
    }
}
