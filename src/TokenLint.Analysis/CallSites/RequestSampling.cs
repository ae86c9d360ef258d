using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Whether a request asks for varied answers, from the settings an SDK names: a temperature above 0. A value the code does not show counts as varied, so that rules about repeated requests
/// stay quiet rather than call a deliberate sample redundant.
/// </summary>
internal static class RequestSampling
{
    public static bool VariesAnswers(ObjectSettings? settings, string temperature) =>
        settings is not null && settings.IsSet(temperature) && !IsAtMost(settings.Get(temperature), 0);

    /// <summary>True when the value is a number the code shows and it is at most <paramref name="limit"/>.</summary>
    private static bool IsAtMost(IOperation? value, double limit)
    {
        if (value is null)
        {
            return false;
        }

        var operation = ValueTracer.Unwrap(value);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            if (operation.ConstantValue is { HasValue: true, Value: null })
            {
                // null: the provider's default, as if unset.
                return true;
            }

            if (operation.ConstantValue is { HasValue: true, Value: { } constant } && constant is not string)
            {
                try
                {
                    return System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture) <= limit;
                }
                catch (System.Exception e) when (e is System.FormatException or System.InvalidCastException or System.OverflowException)
                {
                    return false;
                }
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var next, out _))
            {
                return false;
            }

            operation = ValueTracer.Unwrap(next);
        }

        return false;
    }
}
