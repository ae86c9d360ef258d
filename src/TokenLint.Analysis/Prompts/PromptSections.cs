using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// What the generator and the analyzers read alike from <c>[CachedPrompt]</c> types, one job per file: here the
/// attributes (names, a section's stability and explicit order, the prompt files); what the builder makes of a
/// member (<c>PromptSections.Classification.cs</c>); the static prefix known at build time and its layout
/// (<c>PromptSections.StaticPrefix.cs</c>); finding and reading prompt files (<c>PromptSections.PromptFiles.cs</c>).
/// </summary>
public static partial class PromptSections
{
    public const string CachedPromptAttributeName = "TokenLint.CachedPromptAttribute";
    public const string PromptSectionAttributeName = "TokenLint.PromptSectionAttribute";
    public const string PromptBudgetAttributeName = "TokenLint.PromptBudgetAttribute";
    public const string PromptFileAttributeName = "TokenLint.PromptFileAttribute";

    /// <summary>What the generated layout puts between two non-empty sections.</summary>
    public const string SectionSeparator = "\n\n";

    /// <summary>The values of <c>TokenLint.Stability</c>, which this assembly does not reference.</summary>
    public const int Static = 0;

    /// <summary><c>TokenLint.CacheTtl.OneHour</c>, the value of <c>[CachedPrompt(StaticCacheTtl = ...)]</c> for a 1-hour breakpoint.</summary>
    public const int CacheTtlOneHour = 1;

    /// <summary>Names of the stabilities by value, as written in code (<c>Stability.Static</c>).</summary>
    public static readonly string[] StabilityNames = { "Static", "Session", "Volatile" };

    /// <summary>
    /// Whether the generator can add its part to a type through this declaration: it is partial and not
    /// <c>file</c>-local (the generated part, in another file, would declare another type). The type must also be
    /// top-level and every declaration of it must qualify.
    /// </summary>
    public static bool CanExtend(TypeDeclarationSyntax declaration) =>
        declaration.Modifiers.Any(SyntaxKind.PartialKeyword) && !declaration.Modifiers.Any(SyntaxKind.FileKeyword);

    /// <summary>
    /// Whether the generator builds a <c>[CachedPrompt]</c> type: top-level, and every declaration of it one it
    /// <see cref="CanExtend"/>. The sections of any other type are read by no builder (TL9101 reports the type).
    /// </summary>
    public static bool GetsBuilder(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.ContainingType is not null)
        {
            return false;
        }

        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
        return declarations.Count > 0 && declarations.All(CanExtend);
    }

    /// <summary>A <c>[PromptSection(stability, Order = n)]</c>'s stability, and its order when one is given.</summary>
    public static (int Stability, int? Order) Read(AttributeData attribute) =>
        (attribute.ConstructorArguments.FirstOrDefault().Value is int stability ? stability : Static,
         attribute.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value as int?);

    /// <summary>A <c>[PromptFile(path, Order = n)]</c>'s path (null in broken code), and its order when one is given.</summary>
    public static (string? Path, int? Order) ReadFile(AttributeData attribute) =>
        (attribute.ConstructorArguments.FirstOrDefault().Value as string,
         attribute.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value as int?);

    /// <summary>The <c>[PromptFile]</c>s of a type with a path, in attribute order.</summary>
    public static IEnumerable<(string Path, int? Order)> PromptFiles(INamedTypeSymbol type, INamedTypeSymbol? promptFileAttribute)
    {
        if (promptFileAttribute is null)
        {
            yield break;
        }

        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, promptFileAttribute) && ReadFile(attribute) is ({ } path, var order))
            {
                yield return (path, order);
            }
        }
    }
}
