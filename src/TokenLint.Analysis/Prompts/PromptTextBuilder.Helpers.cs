using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analysis.Prompts;

/// <summary>
/// Prompts built by a helper method of the same compilation (<c>BuildJudgePrompt(question, answer)</c>): the text
/// the helper returns, read once per method per compilation, with each of its parameters replaced by what the
/// caller passes.
/// </summary>
public static partial class PromptTextBuilder
{
    /// <summary>How many helper calls deep a prompt is followed (caller → helper → helper → helper).</summary>
    public const int MaxHelperDepth = 3;

    /// <summary>The text each helper returns, per compilation; null for a helper whose text is not followed.</summary>
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, HelperText?>> HelperTexts = new();

    /// <summary>Helpers being read on this thread, innermost last: a call back into one of them is recursion.</summary>
    [System.ThreadStatic]
    private static List<IMethodSymbol>? t_reading;

    /// <summary>Helpers found on a cycle while reading: not followed, whichever was read first.</summary>
    [System.ThreadStatic]
    private static HashSet<IMethodSymbol>? t_recursive;

    /// <summary>A helper's returned text; <see cref="Depth"/> counts the helper levels it took to read it.</summary>
    private sealed class HelperText
    {
        public HelperText(IMethodSymbol method, IReadOnlyList<PromptSegment> segments, int depth)
        {
            Method = method;
            Segments = segments;
            Depth = depth;
        }

        public IMethodSymbol Method { get; }

        public IReadOnlyList<PromptSegment> Segments { get; }

        public int Depth { get; }
    }

    /// <summary>
    /// Appends the text a helper call returns. A parameter the helper writes into the text as it is takes the
    /// argument's text; other values computed from parameters stay per request when an argument carries run-time
    /// data, and are unknown when every argument is a constant or a field (the text is then the same on each call).
    /// </summary>
    private static bool TryAppendHelper(List<PromptSegment> segments, IInvocationOperation call, int depth, bool viaField) =>
        TryAppendHelper(segments, call, call.TargetMethod, call.Arguments, depth, viaField);

    /// <summary>A computed property (<c>string SystemPrompt => $"…"</c>): its getter is a helper without arguments,
    /// run on every read.</summary>
    private static bool TryAppendGetter(List<PromptSegment> segments, IPropertyReferenceOperation property, int depth, bool viaField) =>
        property.Property is { IsIndexer: false, GetMethod: { } getter }
        && TryAppendHelper(segments, property, getter, ImmutableArray<IArgumentOperation>.Empty, depth, viaField);

    private static bool TryAppendHelper(List<PromptSegment> segments, IOperation call, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, int depth, bool viaField)
    {
        if (call.SemanticModel is not { } callerModel || Read(method, callerModel) is not { } helper)
        {
            return false;
        }

        t_deepestHelper = System.Math.Max(t_deepestHelper, helper.Depth);
        bool argumentsCarryData = arguments.Any(a => a.ArgumentKind != ArgumentKind.DefaultValue
            && (VolatileValues.Classify(a.Value).Volatility > Volatility.Unknown || VolatileValues.CarriesRequestData(a.Value)));
        foreach (var segment in helper.Segments)
        {
            if (segment.Volatility == Volatility.Static)
            {
                segments.Add(segment);
            }
            else if (segment.Parameter is { } parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, helper.Method))
            {
                AppendArgument(segments, arguments, segment, parameter, depth, viaField);
            }
            else if (viaField || (segment.Volatility == Volatility.PerRequest && !argumentsCarryData && helper.Method.Parameters.Length > 0))
            {
                segments.Add(new PromptSegment(Volatility.Unknown, null, null, segment.Syntax));
            }
            else
            {
                segments.Add(segment);
            }
        }

        return true;
    }

    /// <summary>
    /// The caller's argument where the helper writes a parameter: its own text when static, or when it changes on
    /// every call or day (reported where the caller reads the clock); the helper's parameter, per request, when the
    /// argument carries the request (reported in the helper, where the text is laid out); else unknown.
    /// </summary>
    private static void AppendArgument(List<PromptSegment> segments, ImmutableArray<IArgumentOperation> arguments, PromptSegment segment, IParameterSymbol parameter, int depth, bool viaField)
    {
        var argument = arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal);
        if (argument is null || parameter.IsParams)
        {
            segments.Add(new PromptSegment(Volatility.Unknown, null, null, segment.Syntax));
            return;
        }

        var argumentText = new List<PromptSegment>();
        Append(argumentText, argument.Value, depth + 1, viaField);
        if (argumentText.Count == 1 && argumentText[0].Parameter is { } passedOn
            && t_reading is { Count: > 0 } reading && SymbolEqualityComparer.Default.Equals(passedOn.ContainingSymbol, reading[reading.Count - 1]))
        {
            // A helper handing its own parameter to another helper: the text stays where the inner helper lays it
            // out, and the outer helper's caller fills it in.
            segments.Add(new PromptSegment(segment.Volatility, null, segment.Reason, segment.Syntax, passedOn));
            return;
        }

        bool perRequest = argumentText.Any(s => s.Volatility == Volatility.PerRequest)
            || (!viaField && argumentText.Any(s => s.Volatility == Volatility.Unknown) && VolatileValues.CarriesRequestData(argument.Value));
        if (perRequest && !argumentText.Any(s => s.Volatility is Volatility.PerCall or Volatility.Daily))
        {
            segments.Add(segment);
        }
        else
        {
            segments.AddRange(argumentText);
        }
    }

    /// <summary>The text a helper returns, read once per compilation; null when it is not followed.</summary>
    private static HelperText? Read(IMethodSymbol method, SemanticModel callerModel)
    {
        if (!IsFollowable(method, callerModel.Compilation))
        {
            return null;
        }

        var cache = HelperTexts.GetValue(callerModel.Compilation, _ => new ConcurrentDictionary<IMethodSymbol, HelperText?>(SymbolEqualityComparer.Default));
        if (cache.TryGetValue(method, out var known))
        {
            return known;
        }

        var reading = t_reading ??= new List<IMethodSymbol>();
        int onStack = reading.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
        if (onStack >= 0)
        {
            // Recursion: every helper on the cycle stays unknown, so the result does not depend on which was read first.
            var recursive = t_recursive ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            for (int i = onStack; i < reading.Count; i++)
            {
                recursive.Add(reading[i]);
            }

            return null;
        }

        reading.Add(method);
        HelperText? text;
        try
        {
            text = Build(method, callerModel);
        }
        finally
        {
            reading.RemoveAt(reading.Count - 1);
        }

        if (t_recursive is { } cycle && cycle.Remove(method))
        {
            text = null;
        }

        return cache.GetOrAdd(method, text);
    }

    private static HelperText? Build(IMethodSymbol method, SemanticModel callerModel)
    {
        if (ReturnedExpression(method) is not { } returned)
        {
            return null;
        }

        // RS1030: the driver shares semantic models through the compilation's provider, and only the helpers a
        // prompt calls are bound, each once per compilation.
#pragma warning disable RS1030
        var model = returned.SyntaxTree == callerModel.SyntaxTree ? callerModel : callerModel.Compilation.GetSemanticModel(returned.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(returned) is not { } operation)
        {
            return null;
        }

        var segments = new List<PromptSegment>();
        int deepest = 0;
        var outer = t_deepestHelper;
        t_deepestHelper = 0;
        try
        {
            Append(segments, operation, 0, viaField: false);
            deepest = t_deepestHelper;
        }
        finally
        {
            t_deepestHelper = outer;
        }

        int depth = deepest + 1;
        if (depth > MaxHelperDepth)
        {
            return null;
        }

        return new HelperText(method, segments, depth);
    }

    /// <summary>The deepest helper level read by the helper being built on this thread.</summary>
    [System.ThreadStatic]
    private static int t_deepestHelper;

    /// <summary>
    /// A method whose body this compilation holds and every call runs: not virtual, abstract, an interface member,
    /// extern, generic or in another assembly, and returning a string.
    /// </summary>
    private static bool IsFollowable(IMethodSymbol method, Compilation compilation) =>
        method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet
        && method.ReturnType.SpecialType == SpecialType.System_String
        && !method.IsVirtual && !method.IsAbstract && !method.IsOverride && !method.IsExtern && !method.IsGenericMethod
        && (method.AssociatedSymbol is not IPropertySymbol property || !(property.IsVirtual || property.IsAbstract || property.IsOverride))
        && method.ContainingType is { TypeKind: TypeKind.Class or TypeKind.Struct, IsGenericType: false }
        && method.DeclaringSyntaxReferences.Length == 1
        && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly);

    /// <summary>The expression body, or the one <c>return</c> that ends a block body, of a method, a local
    /// function or a property getter; null for any other shape (several returns pick one text or another at run
    /// time; an auto-property's getter has no body).</summary>
    private static ExpressionSyntax? ReturnedExpression(IMethodSymbol method)
    {
        var (arrow, block) = method.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            MethodDeclarationSyntax declaration => (declaration.ExpressionBody, declaration.Body),
            LocalFunctionStatementSyntax function => (function.ExpressionBody, function.Body),
            ArrowExpressionClauseSyntax getter => (getter, null),
            AccessorDeclarationSyntax accessor => (accessor.ExpressionBody, accessor.Body),
            _ => ((ArrowExpressionClauseSyntax?)null, (BlockSyntax?)null),
        };

        if (arrow is not null)
        {
            return arrow.Expression;
        }

        if (block is not { Statements.Count: > 0 } body || body.Statements[body.Statements.Count - 1] is not ReturnStatementSyntax { Expression: { } last })
        {
            return null;
        }

        int returns = body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<ReturnStatementSyntax>().Count();
        return returns == 1 ? last : null;
    }
}
