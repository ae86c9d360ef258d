using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// Why a call is trivial enough for a cheaper model (TL1001): a tiny output limit, a tiny structured-output type,
/// or constant prompt text that asks for a classification, a yes/no answer or a single label. Prompt wording is
/// the weakest signal, so it counts only when nothing says the output may be long and the prompt asks for no
/// complex work.
/// </summary>
internal static class TrivialCallSignals
{
    private const int MaxSmallRecordProperties = 4;
    private static readonly System.TimeSpan RegexTimeout = System.TimeSpan.FromMilliseconds(200);

    private static readonly Regex YesNo = new(
        @"\b(answer|reply|respond|return|output|say)\b[^.\n]{0,60}?\b(yes|true)\b\W{0,4}(or|/)\W{0,4}(no|false)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex Classify = new(
        @"\b(classify|categori[sz]e)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex SingleLabel = new(
        @"\b(with|using|return|output|reply|respond|answer)\b[^.\n]{0,30}?\b(only|exactly|just)\b[^.\n]{0,20}?\b(one|a single|the)\s+(word|label|category|class|intent|team|queue|letter|number|digit)\b" +
        @"|\b(one|a single|exactly one)\s+(word|label|category|class|intent)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex ComplexWork = new(
        @"\b(explain|explanation|step[- ]by[- ]step|reasoning|justify|elaborate|in detail|detailed|analy[sz]e|analysis|" +
        @"write|draft|compose|generate|implement|refactor|translate|summari[sz]e|code|essay|report|article|story|plan)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    /// <summary>A short description of the strongest signal, or null when the call is not trivial.</summary>
    public static string? Find(ModelCallSite callSite, long maxOutputTokens, bool usePromptText)
    {
        if (callSite.MaxOutputTokens is { } limit && limit.Value > 0 && limit.Value <= maxOutputTokens)
        {
            return $"output limited to {limit.Value} tokens";
        }

        if (callSite.StructuredOutputType is { } type && DescribeTinyType(type) is { } tiny)
        {
            return $"structured output is {tiny}";
        }

        if (!usePromptText || callSite.MaxOutputTokens is not null)
        {
            return null;
        }

        return DescribePrompt(callSite);
    }

    private static string? DescribePrompt(ModelCallSite callSite)
    {
        var texts = callSite.PromptParts.Where(p => p.Role != PromptRole.Assistant).Select(p => p.ConstantText).ToArray();
        if (texts.Length == 0 || texts.Any(t => t is null))
        {
            // Part of the prompt is not known at build time: it may ask for anything.
            return null;
        }

        string prompt = string.Join("\n", texts);
        try
        {
            if (ComplexWork.IsMatch(prompt))
            {
                return null;
            }

            if (YesNo.IsMatch(prompt))
            {
                return "the prompt asks for a yes/no answer";
            }

            if (Classify.IsMatch(prompt))
            {
                return "the prompt asks for a classification";
            }

            return SingleLabel.IsMatch(prompt) ? "the prompt asks for a single label" : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static string? DescribeTinyType(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type.SpecialType == SpecialType.System_Boolean)
        {
            return "a bool";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return $"an enum ({type.Name})";
        }

        if (type.TypeKind is TypeKind.Class or TypeKind.Struct && type.SpecialType == SpecialType.None)
        {
            var properties = type.GetMembers().OfType<IPropertySymbol>()
                .Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public && !p.IsImplicitlyDeclared && p.Name != "EqualityContract")
                .ToArray();
            if (properties.Length > 0 && properties.Length <= MaxSmallRecordProperties && properties.All(p => IsScalar(p.Type)))
            {
                return $"a small type ({type.Name}: {properties.Length} bool, enum or number {(properties.Length == 1 ? "field" : "fields")})";
            }
        }

        return null;
    }

    private static bool IsScalar(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Int32
            or SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal
            or SpecialType.System_Int16 or SpecialType.System_Byte;
    }
}
