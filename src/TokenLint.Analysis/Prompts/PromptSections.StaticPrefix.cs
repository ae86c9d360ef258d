using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analysis.Prompts;

/// <summary>The static prefix known at build time: which sections it holds, in which order, and its text.</summary>
public static partial class PromptSections
{
    /// <summary>
    /// Sections in the order the builder lays out those of one stability: by Order (none given: last), then in the
    /// order given (the members in declaration order, then the <c>[PromptFile]</c>s in attribute order). The one
    /// order the generator's layout and TL2003's count both take.
    /// </summary>
    public static IEnumerable<T> InLayoutOrder<T>(IEnumerable<(int? Order, T Section)> sections) =>
        // OrderBy is stable: sections of equal Order keep the order given.
        sections.OrderBy(s => s.Order ?? int.MaxValue).Select(s => s.Section);

    /// <summary>
    /// A <c>[CachedPrompt]</c> type's static sections known at build time, <see cref="InLayoutOrder{T}"/>. Null when
    /// any static member is anything but text known at build time: a property, a method, a field initialised at
    /// run time, a list.
    /// </summary>
    public static IReadOnlyList<ConstantStaticPart>? ConstantStaticParts(
        INamedTypeSymbol type, INamedTypeSymbol sectionAttribute, INamedTypeSymbol? promptFileAttribute, CancellationToken cancellationToken)
    {
        var parts = new List<(int? Order, ConstantStaticPart Part)>();
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

            parts.Add((order, new ConstantStaticPart(text, null)));
        }

        foreach (var (path, order) in PromptFiles(type, promptFileAttribute))
        {
            parts.Add((order, new ConstantStaticPart(null, path)));
        }

        return InLayoutOrder(parts).ToList();
    }

    /// <summary>
    /// The static prefix of <see cref="ConstantStaticParts"/>, a prompt file's text as <paramref name="promptFileText"/>
    /// gives it (a file it does not find is left out, as the generator leaves it out), laid out by <see cref="StaticPrefix"/>.
    /// </summary>
    public static string ConstantStaticPrefix(IEnumerable<ConstantStaticPart> parts, Func<string, string?> promptFileText) =>
        StaticPrefix(parts.Select(p => p.Text ?? promptFileText(p.FilePath!)));

    /// <summary>
    /// The static prefix as the builder renders it from its static sections' texts in layout order: the non-empty
    /// ones joined by <see cref="SectionSeparator"/>. The generator counts and hashes this text, and it and TL2003
    /// decide on it whether the prefix is too short to cache.
    /// </summary>
    public static string StaticPrefix(IEnumerable<string?> sectionTexts) =>
        string.Join(SectionSeparator, sectionTexts.Where(text => !string.IsNullOrEmpty(text)));

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
                    // Written through an argument, an assignment, or a ref to it (ref string r = ref S; r = "b";).
                    if (target.Parent is ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword }
                        || target.Parent is RefExpressionSyntax
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
