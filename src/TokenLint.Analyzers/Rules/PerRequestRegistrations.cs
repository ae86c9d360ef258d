using TokenLint.Analysis.CallSites;
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// Types whose instances live for one request or one use: ASP.NET Core controllers, SignalR hubs and Razor page
/// models, Azure Functions classes, and types registered as scoped or transient services. A history in a field of
/// one of them starts empty each time.
/// </summary>
internal static class PerRequestRegistrations
{
    private static readonly string[] Registrations =
    {
        "AddScoped", "AddTransient", "TryAddScoped", "TryAddTransient", "AddKeyedScoped", "AddKeyedTransient", "AddHttpClient",
    };

    /// <summary>True for a controller, hub or page model, or a class with an Azure Functions entry point.</summary>
    public static bool IsCreatedPerRequest(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name is "ControllerBase" or "Controller" or "Hub" or "PageModel"
                && NamespaceNames.IsOrIsIn(current.ContainingNamespace, "Microsoft.AspNetCore"))
            {
                return true;
            }
        }

        return type.GetMembers().OfType<IMethodSymbol>().Any(m => m.GetAttributes().Any(a => a.AttributeClass?.Name is "FunctionAttribute" or "FunctionNameAttribute"));
    }

    /// <summary>
    /// The names of the types registered as scoped or transient anywhere in the compilation
    /// (<c>services.AddScoped&lt;IChat, ChatSession&gt;()</c>, <c>AddTransient(typeof(ChatSession))</c>), read from syntax once.
    /// </summary>
    public static HashSet<string> Find(Compilation compilation)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var root = tree.GetRoot();
            if (!root.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && Array.IndexOf(Registrations, t.ValueText) >= 0))
            {
                continue;
            }

            foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax access => access.Name,
                    SimpleNameSyntax simple => simple,
                    _ => null,
                };
                if (name is null || Array.IndexOf(Registrations, name.Identifier.ValueText) < 0)
                {
                    continue;
                }

                var types = name is GenericNameSyntax generic ? generic.TypeArgumentList.Arguments.AsEnumerable() : Enumerable.Empty<TypeSyntax>();
                types = types.Concat(invocation.ArgumentList.Arguments.Select(a => a.Expression).OfType<TypeOfExpressionSyntax>().Select(t => t.Type));
                foreach (var type in types)
                {
                    names.Add(RightmostName(type));
                }
            }
        }

        return names;
    }

    private static string RightmostName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => RightmostName(qualified.Right),
        GenericNameSyntax generic => generic.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => type.ToString(),
    };
}
