using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// SDK tool runners, for TL3002: helpers that call the model, run the tools it asks for and call it again until it
/// stops asking. The Anthropic SDK's <c>client.Beta.Messages.ToolRunner(parameters, tools, maxIterations)</c> and
/// <c>thread.ToolRunner(tools, maxIterations)</c> create a <c>BetaToolRunner</c>; a null <c>maxIterations</c> means
/// no limit. Resolved once per compilation.
/// </summary>
public sealed class ToolRunners
{
    private const string LimitParameter = "maxIterations";
    private const string LimitProperty = "MaxIterations";

    private readonly INamedTypeSymbol? _runner;

    internal ToolRunners(Compilation compilation)
    {
        _runner = compilation.GetTypeByMetadataName("Anthropic.Helpers.Beta.BetaToolRunner");
    }

    /// <summary>True when the compilation references an SDK with a tool runner.</summary>
    public bool IsReferenced => _runner is not null;

    /// <summary>
    /// What is unbounded when <paramref name="invocation"/> creates a tool runner with no iteration limit (the limit
    /// left out or null, and not set on the runner in the same body); null otherwise.
    /// </summary>
    public string? DescribeUnlimitedRunner(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (_runner is null
            || !SdkSymbols.Is(method.ReturnType, _runner)
            || !method.Parameters.Any(p => p.Name == LimitParameter))
        {
            return null;
        }

        if (SdkSymbols.Argument(invocation, LimitParameter) is { } limit && !SdkSymbols.IsNullConstant(limit))
        {
            return null;
        }

        if (SetsLimitLater(invocation))
        {
            return null;
        }

        return $"'{method.Name}' without {LimitParameter} creates a tool runner that calls the model until it stops asking for tools";
    }

    /// <summary><c>runner.MaxIterations = n</c> in the body that creates the runner: any write counts as a limit.</summary>
    private static bool SetsLimitLater(IInvocationOperation invocation) =>
        ValueTracer.EnclosingBody(invocation.Syntax) is { } body
        && body.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a =>
            a.Left is MemberAccessExpressionSyntax { Name.Identifier.ValueText: LimitProperty });
}
