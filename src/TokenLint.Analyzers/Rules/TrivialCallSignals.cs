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
        @"\b(explain|summar|analy[sz]|writ|draft|compos|generat|translat|implement|refactor|justif|elaborat|reason|extract|rewrit|correct)\w*" +
        @"|\bstep[- ]by[- ]step\b|\bin detail\b|\bdetailed\b|\b(code|essay|report|article|story|plan|json)s?\b|\bfor each\b|\beach (item|one)\b|\blist all\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    /// <summary>A yes/no that is not an instruction: a JSON value (<c>"valid": true/false</c>) or a negation
    /// (<c>never just answer yes or no</c>).</summary>
    private static readonly Regex NotAYesNoInstruction = new(
        @"(:\s*""?|\b(not|never|don't|do not|just|instead of)\b[^.\n]{0,15})$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex JsonKey = new(@"""\w+""\s*:", RegexOptions.CultureInvariant, RegexTimeout);

    /// <summary>
    /// The longest lone constant prompt that is trivial by itself: 200 characters is two or three sentences, about
    /// 50 tokens, room for "Say hello" or "What is 2+2?" but not for a task with its input.
    /// </summary>
    public const int DefaultMaxPromptLength = 200;

    /// <summary>A one-word prompt is a connectivity probe ("ping"), not work a cheaper model would do.</summary>
    private const int MaxProbeWords = 1;

    /// <summary>
    /// Wording that asks for more than a short answer even in a short prompt: open questions, lists, creative or
    /// descriptive text. A short prompt that matches is not reported as trivial.
    /// </summary>
    private static readonly Regex OpenEnded = new(
        @"\b(how|why|describe|list|compare|design|create|review|debug|fix|poem|song|recipe|tell me about|tell me a)\b|\d{3,}\s*words?\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout);

    private static readonly Regex ProbeMethodName = new(
        @"Ping|Probe|Health|IsAvailable|TestConnection|CheckConnection|Connectivity|Warm[Uu]p",
        RegexOptions.CultureInvariant, RegexTimeout);

    /// <summary>A short description of the strongest signal, or null when the call is not trivial.</summary>
    /// <param name="maxTrivialPromptLength">The longest lone constant prompt that is trivial by itself (0: off).</param>
    public static string? Find(ModelCallSite callSite, long maxOutputTokens, bool usePromptText, long maxTrivialPromptLength)
    {
        if (IsConnectivityProbe(callSite))
        {
            return null;
        }

        if (callSite.MaxOutputTokens is { } limit && limit.Value > 0 && limit.Value <= maxOutputTokens)
        {
            return $"output limited to {limit.Value} tokens";
        }

        if (callSite.StructuredOutputType is { } type && DescribeTinyType(type) is { } tiny)
        {
            return $"structured output is {tiny}";
        }

        if (DescribeShortConstantPrompt(callSite, maxTrivialPromptLength) is { } shortPrompt)
        {
            return shortPrompt;
        }

        if (!usePromptText || callSite.MaxOutputTokens is not null)
        {
            return null;
        }

        return DescribePrompt(callSite);
    }

    /// <summary>
    /// A request that is nothing but one short constant user message (a greeting, an echo, a smoke test): no
    /// system prompt, history, tools, documents, computed text or settings the code does not show.
    /// </summary>
    private static string? DescribeShortConstantPrompt(ModelCallSite callSite, long maxLength)
    {
        if (maxLength <= 0
            || callSite.HasTools
            || callSite.CarriesUnseenContent
            || callSite.PromptParts.Count != 1
            || callSite.PromptParts[0] is not { Role: PromptRole.User, IsOpaque: false, ConstantText: { } text }
            || text.Trim().Length == 0
            || text.Length > maxLength)
        {
            return null;
        }

        try
        {
            return ComplexWork.IsMatch(text) || OpenEnded.IsMatch(text)
                ? null
                : $"the request is only a {text.Length}-character constant prompt";
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
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

            if (JsonKey.Matches(prompt).Count >= 2)
            {
                return null;
            }

            foreach (Match yesNo in YesNo.Matches(prompt))
            {
                string before = prompt.Substring(0, yesNo.Groups[2].Index);
                if (!NotAYesNoInstruction.IsMatch(before.Length > 40 ? before.Substring(before.Length - 40) : before))
                {
                    return "the prompt asks for a yes/no answer";
                }
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

    private static bool IsConnectivityProbe(ModelCallSite callSite)
    {
        if (callSite.Invocation.SemanticModel?.GetEnclosingSymbol(callSite.Invocation.Syntax.SpanStart) is IMethodSymbol method
            && ProbeMethodName.IsMatch(method.Name))
        {
            return true;
        }

        var texts = callSite.PromptParts.Select(p => p.ConstantText).ToArray();
        return texts.Length > 0 && texts.All(t => t is not null)
            && string.Join(" ", texts).Split(new[] { ' ', '\n', '\t' }, System.StringSplitOptions.RemoveEmptyEntries).Length <= MaxProbeWords;
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
            var properties = TypeAndBases(type).SelectMany(t => t.GetMembers()).OfType<IPropertySymbol>()
                .Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public && !p.IsImplicitlyDeclared && p.Name != "EqualityContract")
                .ToArray();
            if (properties.Length > 0 && properties.Length <= MaxSmallRecordProperties && properties.All(p => IsScalar(p.Type)))
            {
                return $"a small type ({type.Name}: {properties.Length} bool, enum or number {(properties.Length == 1 ? "field" : "fields")})";
            }
        }

        return null;
    }

    private static System.Collections.Generic.IEnumerable<ITypeSymbol> TypeAndBases(ITypeSymbol type)
    {
        for (ITypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            yield return current;
        }
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
