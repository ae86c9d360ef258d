using TokenLint.Analysis.CallSites;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// ASP.NET Core methods whose parameters arrive with each web request: controller actions, SignalR hub methods and
/// minimal API handlers (a lambda given to <c>app.MapPost(…)</c> and its siblings). Read by name, so a project that
/// does not reference ASP.NET Core pays nothing for it.
/// </summary>
internal static class WebEntryPoints
{
    /// <summary>What kind of web entry point declares <paramref name="parameter"/>, or null when it is not one.</summary>
    public static string? Describe(IParameterSymbol parameter, SemanticModel semanticModel)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method)
        {
            return null;
        }

        if (method.MethodKind == MethodKind.AnonymousFunction)
        {
            return method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is { Parent: ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax map } } } lambda
                && lambda.SyntaxTree == semanticModel.SyntaxTree
                && semanticModel.GetSymbolInfo(map).Symbol is IMethodSymbol { Name: var name } mapMethod && name.StartsWith("Map", System.StringComparison.Ordinal)
                && IsAspNetCore(mapMethod.ContainingNamespace)
                ? "a minimal API handler"
                : null;
        }

        if (method.MethodKind != MethodKind.Ordinary || method.DeclaredAccessibility != Accessibility.Public || method.IsStatic)
        {
            return null;
        }

        for (var type = method.ContainingType.BaseType; type is not null; type = type.BaseType)
        {
            if (IsAspNetCore(type.ContainingNamespace))
            {
                switch (type.Name)
                {
                    case "ControllerBase" or "Controller":
                        return "a controller action";
                    case "Hub":
                        return "a SignalR hub method";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// True when a validation attribute bounds the value (<c>[MaxLength(40)]</c>, <c>[Length(1, 40)]</c>,
    /// <c>[Range]</c>): the request cannot carry more.
    /// </summary>
    public static bool IsBoundedByValidation(ISymbol symbol) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.Name is { } name && (name.Contains("Length") || name.Contains("Range") || name.Contains("Count")));

    private static bool IsAspNetCore(INamespaceSymbol? ns) =>
        NamespaceNames.IsOrIsIn(ns, "Microsoft.AspNetCore");
}
