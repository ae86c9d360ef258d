using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// A history rendered into prompt text whole: what a template variable or a prompt string built from every message of
/// a list carries. Template engines read it through here (Semantic Kernel's <c>{{$history}}</c>).
/// </summary>
internal static class RenderedHistory
{
    /// <summary>Calls through which a rendered history keeps every message it renders.</summary>
    private static readonly string[] KeepsTheMessages = { "Select", "Where", "Cast", "OfType", "ToList", "ToArray", "AsEnumerable" };

    /// <summary>
    /// <c>string.Join("\n", history.Select(m => $"{m.Role}: {m.Content}"))</c>, given directly or through a local: every
    /// message of a history (a local, field or property) rendered into the template. Returns the history, which the call
    /// sends whole, or null.
    /// </summary>
    public static IOperation? Source(IOperation value)
    {
        var operation = ValueTracer.Unwrap(value);
        if (operation.Type is INamedTypeSymbol { Name: "List", TypeArguments: [{ SpecialType: SpecialType.System_String }] } list
            && list.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
            && operation is ILocalReferenceOperation or IFieldReferenceOperation)
        {
            // Semantic Kernel renders a List<string> as its lines joined: the whole list.
            return operation;
        }

        if (operation is ILocalReferenceOperation && ValueTracer.TryGetSingleValue(operation, out var single, out _))
        {
            operation = ValueTracer.Unwrap(single);
        }

        if (operation is not IInvocationOperation { TargetMethod: { Name: "Join", ContainingType.SpecialType: SpecialType.System_String } } join
            || join.Arguments.FirstOrDefault(a => a.Parameter?.Name == "values" && a.ArgumentKind == ArgumentKind.Explicit) is not { } values)
        {
            return null;
        }

        var source = ValueTracer.Unwrap(values.Value);
        for (int depth = 0; depth < ValueTracer.MaxDepth && source is IInvocationOperation call && KeepsTheMessages.Contains(call.TargetMethod.Name); depth++)
        {
            var receiver = call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);
            if (receiver is null)
            {
                return null;
            }

            source = ValueTracer.Unwrap(receiver);
        }

        return source is ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation { Property.Parameters.Length: 0 }
            && source.Type is { SpecialType: not SpecialType.System_String } type
            && type.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            ? source
            : null;
    }
}
