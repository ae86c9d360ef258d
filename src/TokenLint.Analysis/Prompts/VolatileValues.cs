using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// Decides whether a run-time value in a prompt changes on every call (the clock, GUIDs, random numbers, tick
/// counts), per request (a method parameter, or a value computed from one), or cannot be told.
/// </summary>
public static class VolatileValues
{
    public static (Volatility Volatility, string? Reason) Classify(IOperation value) => Classify(value, 0);

    private static (Volatility, string?) Classify(IOperation value, int depth)
    {
        var best = (Volatility.Unknown, (string?)null);
        foreach (var operation in Flatten(value))
        {
            var found = Direct(operation, depth);
            if (found.Item1 > best.Item1)
            {
                best = found;
                if (best.Item1 == Volatility.PerCall)
                {
                    break;
                }
            }
        }

        return best;
    }

    private static System.Collections.Generic.IEnumerable<IOperation> Flatten(IOperation root)
    {
        yield return root;
        foreach (var descendant in root.Descendants())
        {
            yield return descendant;
        }
    }

    private static (Volatility, string?) Direct(IOperation operation, int depth)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property: { IsStatic: true } property }
                when IsSystemType(property.ContainingType, "DateTime", "DateTimeOffset") && property.Name is "Now" or "UtcNow" or "Today":
                return (Volatility.PerCall, $"{property.ContainingType.Name}.{property.Name}");
            case IPropertyReferenceOperation { Property: { IsStatic: true } tick }
                when IsSystemType(tick.ContainingType, "Environment") && tick.Name is "TickCount" or "TickCount64":
                return (Volatility.PerCall, $"Environment.{tick.Name}");
            case IInvocationOperation { TargetMethod: { } method } when IsPerCallMethod(method):
                return (Volatility.PerCall, $"{method.ContainingType.Name}.{method.Name}()");
            case IParameterReferenceOperation parameter:
                return (Volatility.PerRequest, $"parameter '{parameter.Parameter.Name}'");
            // Locals only: a field set from the clock holds one value for the object's or process's life.
            case ILocalReferenceOperation when depth < ValueTracer.MaxDepth
                && ValueTracer.TryGetSingleValue(operation, out var source, out _):
                return Classify(source, depth + 1);
            default:
                return (Volatility.Unknown, null);
        }
    }

    private static bool IsPerCallMethod(IMethodSymbol method)
    {
        var type = method.ContainingType;
        return (IsSystemType(type, "Guid") && method.Name is "NewGuid" or "CreateVersion7")
            || (IsSystemType(type, "TimeProvider") && method.Name is "GetUtcNow" or "GetLocalNow" or "GetTimestamp")
            || (IsSystemType(type, "Random") && method.Name.StartsWith("Next", System.StringComparison.Ordinal))
            || (type?.Name == "Stopwatch" && method.Name == "GetTimestamp")
            || (type?.Name == "RandomNumberGenerator" && method.Name.StartsWith("Get", System.StringComparison.Ordinal));
    }

    private static bool IsSystemType(INamedTypeSymbol? type, params string[] names) =>
        type is not null && type.ContainingNamespace?.ToDisplayString() == "System" && System.Array.IndexOf(names, type.Name) >= 0;
}
