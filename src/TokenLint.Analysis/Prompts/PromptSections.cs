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
/// What the generator and the analyzers read alike from <c>[CachedPrompt]</c> types: the attributes' names, a
/// section's stability and explicit order, and the text of a section known at build time.
/// </summary>
public static class PromptSections
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

    /// <summary>A <c>[PromptSection(stability, Order = n)]</c>'s stability, and its order when one is given.</summary>
    public static (int Stability, int? Order) Read(AttributeData attribute) =>
        (attribute.ConstructorArguments.FirstOrDefault().Value is int stability ? stability : Static,
         attribute.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value as int?);

    /// <summary>A <c>[PromptFile(path, Order = n)]</c>'s path (null in broken code), and its order when one is given.</summary>
    public static (string? Path, int? Order) ReadFile(AttributeData attribute) =>
        (attribute.ConstructorArguments.FirstOrDefault().Value as string,
         attribute.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value as int?);

    /// <summary>
    /// A <c>[CachedPrompt]</c> type's static sections known at build time, in the order the generator lays them out:
    /// by Order, then the members in declaration order, then the <c>[PromptFile]</c>s in attribute order. Null when
    /// any static member is anything but text known at build time: a property, a method, a field initialised at
    /// run time, a list.
    /// </summary>
    public static IReadOnlyList<ConstantStaticPart>? ConstantStaticParts(
        INamedTypeSymbol type, INamedTypeSymbol sectionAttribute, INamedTypeSymbol? promptFileAttribute, CancellationToken cancellationToken)
    {
        var parts = new List<(int Order, int Position, ConstantStaticPart Part)>();
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

            parts.Add((order ?? int.MaxValue, parts.Count, new ConstantStaticPart(text, null)));
        }

        foreach (var (path, order) in PromptFiles(type, promptFileAttribute))
        {
            parts.Add((order ?? int.MaxValue, parts.Count, new ConstantStaticPart(null, path)));
        }

        return parts.OrderBy(p => p.Order).ThenBy(p => p.Position).Select(p => p.Part).ToList();
    }

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

    /// <summary>
    /// The static prefix as the generator lays it out: the parts' texts, a prompt file's as
    /// <paramref name="promptFileText"/> gives it (a file it does not find is left out, as the generator leaves it
    /// out), non-empty texts joined by <see cref="SectionSeparator"/>.
    /// </summary>
    public static string ConstantStaticPrefix(IEnumerable<ConstantStaticPart> parts, Func<string, string?> promptFileText) =>
        string.Join(
            SectionSeparator,
            parts.Select(p => p.Text ?? promptFileText(p.FilePath!)).Where(text => !string.IsNullOrEmpty(text)));

    /// <summary>
    /// Whether an AdditionalFile at <paramref name="additionalFilePath"/> is the prompt file a <c>[PromptFile]</c>
    /// names with <paramref name="relativePath"/>: the full path ends with the relative path, segment by segment,
    /// with <c>/</c> and <c>\</c> alike, <c>.</c> segments and leading <c>..</c> segments ignored; the file name is compared exactly, folder
    /// names ignoring case (a Windows checkout may spell a folder differently).
    /// </summary>
    public static bool PromptFileMatches(string additionalFilePath, string relativePath)
    {
        // A path that leaves the project (../Shared/policy.prompt.md) matches on the part after the "..".
        var wanted = Segments(relativePath).SkipWhile(segment => segment == "..").ToArray();
        var actual = Segments(additionalFilePath);
        if (wanted.Length == 0 || wanted.Length > actual.Length)
        {
            return false;
        }

        int offset = actual.Length - wanted.Length;
        for (int i = 0; i < wanted.Length; i++)
        {
            var comparison = i == wanted.Length - 1 ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            if (!string.Equals(wanted[i], actual[offset + i], comparison))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first AdditionalFile that <see cref="PromptFileMatches"/> the relative path, if any.</summary>
    public static AdditionalText? FindPromptFile(ImmutableArray<AdditionalText> additionalFiles, string relativePath) =>
        additionalFiles.FirstOrDefault(file => file.Path is { } path && PromptFileMatches(path, relativePath));

    /// <summary>The section text of the prompt file a <c>[PromptFile]</c> names, or null when no AdditionalFile matches or it has no text.</summary>
    public static string? PromptFileSectionText(ImmutableArray<AdditionalText> additionalFiles, string relativePath, CancellationToken cancellationToken) =>
        FindPromptFile(additionalFiles, relativePath)?.GetText(cancellationToken) is { } text ? PromptFileSectionText(text.ToString()) : null;

    private static string[] Segments(string path) =>
        path.Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries).Where(segment => segment != ".").ToArray();

    /// <summary>
    /// A prompt file's text as a section: <c>\r\n</c> line breaks made <c>\n</c>, so that the hash is the same on a
    /// Windows and a Linux checkout, and one final line break dropped, as a raw string literal drops it.
    /// </summary>
    public static string PromptFileSectionText(string fileText)
    {
        string text = fileText.Replace("\r\n", "\n");
        return text.EndsWith("\n", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;
    }

    /// <summary>
    /// The text of a string section known at build time: a <c>const</c>, or a <c>static readonly</c> field
    /// initialised with a literal and not assigned again in a static constructor. Null for anything computed.
    /// </summary>
    public static string? ConstantText(IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (field.IsConst)
        {
            return field.ConstantValue as string;
        }

        return field.IsStatic && field.IsReadOnly && field.DeclaringSyntaxReferences.Length == 1
            && field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax { Token.Value: string text } }
            && !IsAssignedInStaticConstructor(field, cancellationToken)
            ? text
            : null;
    }

    /// <summary>
    /// Whether a static constructor of the field's type may write the field (the only place besides its initialiser
    /// where a <c>static readonly</c> field can be set): its name as an assignment's target, or passed by <c>ref</c> or
    /// <c>out</c>. Then the initialiser is not the value the prompt sends.
    /// </summary>
    private static bool IsAssignedInStaticConstructor(IFieldSymbol field, CancellationToken cancellationToken)
    {
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax type)
            {
                continue;
            }

            foreach (var constructor in type.Members.OfType<ConstructorDeclarationSyntax>().Where(c => c.Modifiers.Any(SyntaxKind.StaticKeyword)))
            {
                foreach (var name in constructor.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == field.Name))
                {
                    // Type.Field and this.Field count as the name itself.
                    SyntaxNode target = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                    if (target.Parent is ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword }
                        || target.Ancestors().OfType<AssignmentExpressionSyntax>().Any(assignment => assignment.Left.Span.Contains(target.Span)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}

/// <summary>
/// One static section known at build time: <see cref="Text"/> for a constant member, <see cref="FilePath"/> (the
/// path a <c>[PromptFile]</c> gives) for a prompt file, whose text comes from the AdditionalFiles.
/// </summary>
public sealed record ConstantStaticPart(string? Text, string? FilePath);
