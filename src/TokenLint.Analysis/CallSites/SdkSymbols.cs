using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>Questions every SDK file asks of symbols and calls: is this the SDK's type, which argument is that parameter.</summary>
internal static class SdkSymbols
{
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);

    public static bool InheritsFrom(INamedTypeSymbol? type, INamedTypeSymbol? expected)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, expected))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Implements(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && (Is(type, expected) || type.AllInterfaces.Any(i => Is(i, expected)));

    public static bool HasParameter(IMethodSymbol? method, string name) => method?.Parameters.Any(p => p.Name == name) == true;

    /// <summary>The receiver of a call: its instance, or the first argument of an extension method called as an instance method.</summary>
    public static IOperation? ReceiverOf(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return instance;
        }

        return invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
    }

    /// <summary>The argument written for a parameter (a default value the code does not write counts as none).</summary>
    public static IOperation? Argument(IInvocationOperation invocation, string parameterName) => Argument(invocation.Arguments, parameterName);

    public static IOperation? Argument(IObjectCreationOperation creation, string parameterName) => Argument(creation.Arguments, parameterName);

    private static IOperation? Argument(ImmutableArray<IArgumentOperation> arguments, string parameterName)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == parameterName && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// True when an options or settings argument is written but the code does not show all it holds (it comes from
    /// elsewhere, or other calls share it), or it sets one of <paramref name="unseenProperties"/>: content the
    /// catalog does not read as prompt parts (see <see cref="ModelCallSite.CarriesUnseenContent"/>).
    /// </summary>
    public static bool HidesContent(IOperation? argument, ObjectSettings? settings, params string[] unseenProperties) =>
        argument is not null && !IsNullConstant(argument)
        && (settings is null || settings.IsShared || System.Array.Exists(unseenProperties, settings.IsSet));

    /// <summary>True for a <c>null</c> literal (or a conversion of one).</summary>
    public static bool IsNullConstant(IOperation operation) =>
        ValueTracer.Unwrap(operation) is { ConstantValue: { HasValue: true, Value: null } };
}
