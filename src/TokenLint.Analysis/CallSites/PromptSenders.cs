using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Methods of the compilation that send a model a prompt from their own parameters
/// (<c>Task&lt;string&gt; AskAsync(string systemPrompt, string question)</c>), directly or through other such
/// methods, so that a call of one is read as the model call it makes. Each method is read once per compilation,
/// and only a method whose body names a request method, or hands one of its string parameters on, is bound.
/// </summary>
internal sealed class PromptSenders
{
    /// <summary>How many methods deep a prompt is followed (caller → method → method → method → model call).</summary>
    public const int MaxDepth = 3;

    private static readonly IReadOnlyList<ForwardedPrompt> None = System.Array.Empty<ForwardedPrompt>();

    private readonly ModelCallSiteCatalog _catalog;

    private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyList<SentPrompt>> _sent = new(SymbolEqualityComparer.Default);

    private readonly ConcurrentDictionary<SyntaxNode, IReadOnlyList<ForwardedPrompt>> _calls = new();

    /// <summary>Methods being read on this thread, innermost last: a call back into one of them is recursion.</summary>
    [System.ThreadStatic]
    private static List<IMethodSymbol>? t_reading;

    /// <summary>Methods found on a cycle while reading: they send nothing, whichever was read first.</summary>
    [System.ThreadStatic]
    private static HashSet<IMethodSymbol>? t_recursive;

    public PromptSenders(ModelCallSiteCatalog catalog)
    {
        _catalog = catalog;
    }

    /// <summary>A model call a method makes, with its parts' text in terms of the method's parameters.</summary>
    private sealed class SentPrompt
    {
        public SentPrompt(ModelCallSite callSite, IReadOnlyList<PromptText> parts, int depth)
        {
            CallSite = callSite;
            Parts = parts;
            Depth = depth;
        }

        public ModelCallSite CallSite { get; }

        public IReadOnlyList<PromptText> Parts { get; }

        public int Depth { get; }
    }

    /// <summary>The model calls a call of a method of this compilation makes with the call's arguments in their prompts.</summary>
    public IReadOnlyList<ForwardedPrompt> Through(IInvocationOperation call)
    {
        // Asked about every call: the name, then whether the method is this compilation's, answer nearly all.
        if (call.SemanticModel is not { } model
            || !SenderNames(model.Compilation).Contains(call.TargetMethod.Name)
            || !MaySend(call.TargetMethod, model.Compilation))
        {
            return None;
        }

        if (_calls.TryGetValue(call.Syntax, out var known))
        {
            return known;
        }

        var sent = Sent(call.TargetMethod, model.Compilation);
        if (sent.Count == 0)
        {
            return None;
        }

        var forwarded = new List<ForwardedPrompt>(sent.Count);
        foreach (var prompt in sent)
        {
            var given = new HashSet<PromptSegment>();
            var parts = new List<PromptText>(prompt.Parts.Count);
            var arguments = new List<IOperation?>(prompt.Parts.Count);
            foreach (var part in prompt.Parts)
            {
                var used = new List<IOperation>();
                parts.Add(PromptTextBuilder.Substitute(part, call.TargetMethod, call.Arguments, given, used));
                arguments.Add(used.FirstOrDefault());
            }

            forwarded.Add(new ForwardedPrompt(prompt.CallSite, parts, given, arguments));
        }

        return _calls.GetOrAdd(call.Syntax, forwarded);
    }

    /// <summary>
    /// A method whose body this compilation holds and every call runs (not virtual, abstract, extern or generic; an
    /// override only when sealed), taking at least one string.
    /// </summary>
    /// <remarks>Asked about every call: the cheapest test, whether the method is this compilation's, comes first.</remarks>
    private static bool MaySend(IMethodSymbol method, Compilation compilation) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly)
        && method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
        && !method.IsVirtual && !method.IsAbstract && !method.IsExtern && !method.IsGenericMethod
        && (!method.IsOverride || method.IsSealed || method.ContainingType?.IsSealed == true)
        && method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String)
        && method.DeclaringSyntaxReferences.Length == 1;

    /// <summary>
    /// The names of the methods that may send a prompt, a few calls deep, by syntax alone: a method whose body calls
    /// a request method, or calls one of these names. Found in the catalog's one walk of the compilation's syntax,
    /// so that no other method is bound.
    /// </summary>
    private HashSet<string> SenderNames(Compilation compilation) => _catalog.Index(compilation).SenderNames;

    private IReadOnlyList<SentPrompt> Sent(IMethodSymbol method, Compilation compilation)
    {
        if (_sent.TryGetValue(method, out var known))
        {
            return known;
        }

        if (!SenderNames(compilation).Contains(method.Name))
        {
            return _sent.GetOrAdd(method, System.Array.Empty<SentPrompt>());
        }

        var reading = t_reading ??= new List<IMethodSymbol>();
        int onStack = reading.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
        if (onStack >= 0)
        {
            // Recursion: every method on the cycle sends nothing, so the result does not depend on which was read first.
            var recursive = t_recursive ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            for (int i = onStack; i < reading.Count; i++)
            {
                recursive.Add(reading[i]);
            }

            return System.Array.Empty<SentPrompt>();
        }

        reading.Add(method);
        IReadOnlyList<SentPrompt> sent;
        try
        {
            sent = Read(method, compilation);
        }
        finally
        {
            reading.RemoveAt(reading.Count - 1);
        }

        if (t_recursive is { } cycle && cycle.Remove(method))
        {
            sent = System.Array.Empty<SentPrompt>();
        }

        return _sent.GetOrAdd(method, sent);
    }

    private IReadOnlyList<SentPrompt> Read(IMethodSymbol method, Compilation compilation)
    {
        var body = method.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            MethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody,
            LocalFunctionStatementSyntax function => (SyntaxNode?)function.Body ?? function.ExpressionBody,
            _ => null,
        };

        var parameterNames = new HashSet<string>(method.Parameters.Where(p => p.Type.SpecialType == SpecialType.System_String).Select(p => p.Name), System.StringComparer.Ordinal);
        if (body is null || !compilation.ContainsSyntaxTree(body.SyntaxTree))
        {
            return System.Array.Empty<SentPrompt>();
        }

        List<SentPrompt>? sent = null;
        SemanticModel? model = null;
        foreach (var call in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            string? calledName = ModelCallIndex.CalledName(call.Expression);
            bool request = calledName is not null && _catalog.IsRequestMethodName(calledName);
            if (!request && (calledName is null || !SenderNames(compilation).Contains(calledName)
                || !call.ArgumentList.Arguments.Any(a => a.Expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => parameterNames.Contains(i.Identifier.ValueText)))))
            {
                continue;
            }

            // RS1030: the driver shares semantic models through the compilation's provider; only the bodies of
            // methods that may send a prompt are bound, each once per compilation.
#pragma warning disable RS1030
            model ??= compilation.GetSemanticModel(body.SyntaxTree);
#pragma warning restore RS1030
            if (model.GetOperation(call) is not IInvocationOperation invocation)
            {
                continue;
            }

            if (request && _catalog.TryGetCallSite(invocation, out var callSite))
            {
                var parts = callSite.PromptParts.Select(PromptTextBuilder.Build).ToList();
                if (parts.Any(part => PromptTextBuilder.WritesParameterOf(part, method)))
                {
                    (sent ??= new List<SentPrompt>()).Add(new SentPrompt(callSite, parts, 1));
                }
            }
            else if (MaySend(invocation.TargetMethod, compilation))
            {
                foreach (var inner in Sent(invocation.TargetMethod, compilation))
                {
                    if (inner.Depth >= MaxDepth)
                    {
                        continue;
                    }

                    var given = new HashSet<PromptSegment>();
                    var parts = inner.Parts.Select(part => PromptTextBuilder.Substitute(part, invocation.TargetMethod, invocation.Arguments, given)).ToList();
                    if (parts.Any(part => PromptTextBuilder.WritesParameterOf(part, method)))
                    {
                        (sent ??= new List<SentPrompt>()).Add(new SentPrompt(inner.CallSite, parts, inner.Depth + 1));
                    }
                }
            }
        }

        return (IReadOnlyList<SentPrompt>?)sent ?? System.Array.Empty<SentPrompt>();
    }
}
