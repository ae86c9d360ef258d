using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// What the generator and the analyzers read alike from <c>[CachedPrompt]</c> types: the attributes' names, a
/// section's stability and explicit order, and the text of a section known at build time.
/// </summary>
public static class PromptSections
{
    public const string CachedPromptAttributeName = "TokenLint.CachedPromptAttribute";
    public const string PromptSectionAttributeName = "TokenLint.PromptSectionAttribute";
    public const string PromptBudgetAttributeName = "TokenLint.PromptBudgetAttribute";

    /// <summary>What the generated layout puts between two non-empty sections.</summary>
    public const string SectionSeparator = "\n\n";

    /// <summary>The values of <c>TokenLint.Stability</c>, which this assembly does not reference.</summary>
    public const int Static = 0;

    /// <summary><c>TokenLint.CacheTtl.OneHour</c>, the value of <c>[CachedPrompt(StaticCacheTtl = ...)]</c> for a 1-hour breakpoint.</summary>
    public const int CacheTtlOneHour = 1;

    /// <summary>Names of the stabilities by value, as written in code (<c>Stability.Static</c>).</summary>
    public static readonly string[] StabilityNames = { "Static", "Session", "Volatile" };

    /// <summary>A <c>[PromptSection(stability, Order = n)]</c>'s stability, and its order when one is given.</summary>
    public static (int Stability, int? Order) Read(AttributeData attribute) =>
        (attribute.ConstructorArguments.FirstOrDefault().Value is int stability ? stability : Static,
         attribute.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value as int?);

    /// <summary>
    /// A <c>[CachedPrompt]</c> type's static sections' text as the generator lays it out (by Order, then declaration
    /// order, non-empty texts joined by <see cref="SectionSeparator"/>), or null when any static section is
    /// anything but text known at build time: a property, a method, a field initialised at run time, a list.
    /// </summary>
    public static string? ConstantStaticPrefix(INamedTypeSymbol type, INamedTypeSymbol sectionAttribute, CancellationToken cancellationToken)
    {
        var sections = new List<(int Order, int Position, string Text)>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = member.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sectionAttribute));
            if (attribute is null || Read(attribute) is not (Static, var order))
            {
                continue;
            }

            if (member is not IFieldSymbol { Type.SpecialType: SpecialType.System_String } field
                || ConstantText(field, cancellationToken) is not { } text)
            {
                return null;
            }

            sections.Add((order ?? int.MaxValue, sections.Count, text));
        }

        return string.Join(
            SectionSeparator,
            sections.OrderBy(s => s.Order).ThenBy(s => s.Position).Select(s => s.Text).Where(text => text.Length > 0));
    }

    /// <summary>
    /// The text of a string section known at build time: a <c>const</c>, or a <c>static readonly</c> field
    /// initialised with a literal. Null for anything computed.
    /// </summary>
    public static string? ConstantText(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (field.IsConst)
        {
            return field.ConstantValue as string;
        }

        return field.IsStatic && field.IsReadOnly && field.DeclaringSyntaxReferences.Length == 1
            && field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax { Token.Value: string text } }
            ? text
            : null;
    }
}
