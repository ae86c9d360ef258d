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

    /// <summary>
    /// The same, for a value written into the prompt with a format string: a clock value formatted without a time
    /// of day (<c>:D</c>, <c>:yyyy-MM-dd</c>) changes once a day, not on every call.
    /// </summary>
    public static (Volatility Volatility, string? Reason) Classify(IOperation value, string? format)
    {
        var result = Classify(value, 0);
        return result.Item1 == Volatility.PerCall && IsClock(result.Item2) && format is not null && IsDateOnlyFormat(format)
            ? (Volatility.Daily, result.Item2)
            : result;
    }

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

    /// <summary>
    /// The value's own operations: not the bodies of lambdas (their parameters are not the request's), and not the
    /// arguments of methods other than the clock and random sources (what a method returns is not visible).
    /// </summary>
    private static System.Collections.Generic.IEnumerable<IOperation> Flatten(IOperation root)
    {
        var pending = new System.Collections.Generic.Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            yield return operation;
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation
                || (operation is IInvocationOperation { TargetMethod: { } method } invocation && !IsPerCallMethod(method) && !IsFormatting(method) && SerializedValue(invocation) is null))
            {
                continue;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }
    }

    private static (Volatility, string?) Direct(IOperation operation, int depth)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property: { IsStatic: true } property }
                when IsSystemType(property.ContainingType, "DateTime", "DateTimeOffset") && property.Name is "Now" or "UtcNow" or "Today":
                string clock = $"{property.ContainingType.Name}.{property.Name}";
                return (property.Name == "Today" || ReadsOnlyTheDate(operation) ? Volatility.Daily : Volatility.PerCall, clock);
            case IPropertyReferenceOperation { Property: { IsStatic: true } tick }
                when IsSystemType(tick.ContainingType, "Environment") && tick.Name is "TickCount" or "TickCount64":
                return (Volatility.PerCall, $"Environment.{tick.Name}");
            case IInvocationOperation { TargetMethod: { } method } when IsPerCallMethod(method):
                return (Volatility.PerCall, $"{method.ContainingType.Name}.{method.Name}()");
            case IInvocationOperation serialization when depth < ValueTracer.MaxDepth && SerializedValue(serialization) is { } serialized:
                return Serialized(serialization, serialized, depth);
            case IParameterReferenceOperation { Parameter: { } parameter } when IsRequestParameter(parameter):
                return (Volatility.PerRequest, $"parameter '{parameter.Name}'");
            // Locals only: a field set from the clock holds one value for the object's or process's life.
            case ILocalReferenceOperation when depth < ValueTracer.MaxDepth
                && ValueTracer.TryGetSingleValue(operation, out var source, out _):
                return Classify(source, depth + 1);
            default:
                return (Volatility.Unknown, null);
        }
    }

    /// <summary>
    /// A request object written into the prompt as text (<c>JsonSerializer.Serialize(order)</c>,
    /// <c>order.ToString()</c>): the serialized value's own volatility when known, else per request when it carries
    /// run-time data, else unknown (a field's or a constant's text is the same on every call).
    /// </summary>
    private static (Volatility, string?) Serialized(IInvocationOperation serialization, IOperation serialized, int depth)
    {
        var inner = Classify(serialized, depth + 1);
        if (inner.Item1 != Volatility.Unknown || !CarriesRequestData(serialized))
        {
            return inner;
        }

        string text = serialization.Syntax.ToString();
        return (Volatility.PerRequest, text.Length <= 60 && text.IndexOf('\n') < 0 ? $"'{text}'" : $"'{serialization.TargetMethod.ContainingType.Name}.{serialization.TargetMethod.Name}(…)'");
    }

    /// <summary>The value a call turns into text: the first argument of <c>JsonSerializer.Serialize</c> or
    /// <c>JsonConvert.SerializeObject</c>, the receiver of <c>ToString()</c>.</summary>
    private static IOperation? SerializedValue(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if ((method.Name == "Serialize" && method.ContainingType?.Name == "JsonSerializer" && NamespaceNames.Is(method.ContainingNamespace, "System.Text.Json"))
            || (method.Name == "SerializeObject" && method.ContainingType?.Name == "JsonConvert" && NamespaceNames.Is(method.ContainingNamespace, "Newtonsoft.Json")))
        {
            return invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
        }

        return method.Name == "ToString" && invocation.Instance is { } instance and not IInstanceReferenceOperation && !instance.ConstantValue.HasValue ? instance : null;
    }

    /// <summary>
    /// True when a value is computed from the request: a parameter of an ordinary method, or a local whose one
    /// value the code does not show (a loop variable, a local assigned in several places), directly or through
    /// members, calls and arguments. Constants, fields and static members read nothing of the request.
    /// </summary>
    public static bool CarriesRequestData(IOperation value) => CarriesRequestData(value, 0);

    private static bool CarriesRequestData(IOperation value, int depth)
    {
        var operation = ValueTracer.Unwrap(value);
        if (depth > ValueTracer.MaxDepth || operation.ConstantValue.HasValue)
        {
            return false;
        }

        switch (operation)
        {
            case IParameterReferenceOperation { Parameter: { } parameter }:
                return IsRequestParameter(parameter);
            case ILocalReferenceOperation local:
                return !ValueTracer.TryGetSingleValue(local, out var source, out _) || CarriesRequestData(source, depth + 1);
            case IFieldReferenceOperation field:
                return field.Instance is { } owner and not IInstanceReferenceOperation && CarriesRequestData(owner, depth + 1);
            case IInstanceReferenceOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or ITypeOfOperation:
                return false;
            default:
                foreach (var child in operation.ChildOperations)
                {
                    if (CarriesRequestData(child, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    /// <summary>A parameter of an ordinary method: constructor parameters live as long as the object, lambda
    /// parameters are the lambda's own.</summary>
    private static bool IsRequestParameter(IParameterSymbol parameter) =>
        parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.ExplicitInterfaceImplementation };

    /// <summary><c>DateTime.Now.Date</c>, <c>.Year</c>, <c>.ToShortDateString()</c>, <c>.ToString("yyyy-MM-dd")</c>.</summary>
    private static bool ReadsOnlyTheDate(IOperation clock) => clock.Parent switch
    {
        IPropertyReferenceOperation { Property.Name: "Date" or "Year" or "Month" or "Day" or "DayOfWeek" or "DayOfYear" } => true,
        IInvocationOperation { TargetMethod.Name: "ToShortDateString" or "ToLongDateString" } => true,
        IInvocationOperation { TargetMethod.Name: "ToString", Arguments: [{ Value.ConstantValue.Value: string format }, ..] } => IsDateOnlyFormat(format),
        _ => false,
    };

    /// <summary>Standard date formats (d, D, M, Y) and custom ones with no hour, minute, second, fraction or offset.</summary>
    internal static bool IsDateOnlyFormat(string format)
    {
        if (format.Length == 1)
        {
            return format is "d" or "D" or "M" or "m" or "Y" or "y";
        }

        bool quoted = false;
        foreach (char c in format)
        {
            if (c is '\'' or '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is 'h' or 'H' or 'm' or 's' or 'f' or 'F' or 't' or 'z' or 'K')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsClock(string? reason) => reason is not null && reason.StartsWith("Date", System.StringComparison.Ordinal);

    private static bool IsFormatting(IMethodSymbol method) =>
        method.Name is "ToString" or "ToShortDateString" or "ToLongDateString" or "ToShortTimeString" or "ToLongTimeString" or "ToUniversalTime" or "ToLocalTime" or "ToUnixTimeSeconds" or "ToUnixTimeMilliseconds";

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
        type is not null && System.Array.IndexOf(names, type.Name) >= 0 && NamespaceNames.Is(type.ContainingNamespace, "System");
}
