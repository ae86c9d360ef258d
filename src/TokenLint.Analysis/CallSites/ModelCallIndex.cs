using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Where a compilation's calls that may concern a model are, found by the called name in one walk of its syntax:
/// calls of an SDK's request or request-defining methods, and calls of this compilation's methods that may send a
/// prompt a few calls deep (<see cref="PromptSenders"/>). Rules that read a body's model calls look them up here
/// rather than walk every operation of every body; nothing is bound to build it. One per compilation.
/// </summary>
internal sealed class ModelCallIndex
{
    private static readonly InvocationExpressionSyntax[] NoCalls = System.Array.Empty<InvocationExpressionSyntax>();

    /// <summary>Per file, the calls of interest in the order of their position.</summary>
    private readonly Dictionary<SyntaxTree, InvocationExpressionSyntax[]> _calls;

    private ModelCallIndex(HashSet<string> senderNames, Dictionary<SyntaxTree, InvocationExpressionSyntax[]> calls)
    {
        SenderNames = senderNames;
        _calls = calls;
    }

    /// <summary>The names of the methods that may send a prompt, a few calls deep, by syntax alone.</summary>
    public HashSet<string> SenderNames { get; }

    /// <param name="requestMethods">Names of the SDK methods that may send a request.</param>
    /// <param name="definitionMethods">Names of the SDK methods that may define a request sent later.</param>
    /// <param name="depth">How many methods deep a prompt is followed.</param>
    public static ModelCallIndex Build(Compilation compilation, HashSet<string> requestMethods, HashSet<string> definitionMethods, int depth)
    {
        var senders = new HashSet<string>(System.StringComparer.Ordinal);
        var called = new Dictionary<string, HashSet<string>>(System.StringComparer.Ordinal);
        var callsByTree = new List<(SyntaxTree Tree, List<(InvocationExpressionSyntax Call, string Name)> Calls)>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var calls = new List<(InvocationExpressionSyntax, string)>();
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is not InvocationExpressionSyntax call || CalledName(call.Expression) is not { } name)
                {
                    continue;
                }

                calls.Add((call, name));
                if (EnclosingMethodName(call) is not { } caller)
                {
                    continue;
                }

                if (requestMethods.Contains(name))
                {
                    senders.Add(caller);
                }
                else
                {
                    if (!called.TryGetValue(caller, out var names))
                    {
                        called[caller] = names = new HashSet<string>(System.StringComparer.Ordinal);
                    }

                    names.Add(name);
                }
            }

            callsByTree.Add((tree, calls));
        }

        // A method that calls a sender sends too, up to the depth a prompt is followed.
        for (int level = 1; level < depth; level++)
        {
            var next = new List<string>();
            foreach (var caller in called)
            {
                if (!senders.Contains(caller.Key) && caller.Value.Overlaps(senders))
                {
                    next.Add(caller.Key);
                }
            }

            senders.UnionWith(next);
        }

        var index = new Dictionary<SyntaxTree, InvocationExpressionSyntax[]>();
        foreach (var (tree, calls) in callsByTree)
        {
            List<InvocationExpressionSyntax>? kept = null;
            foreach (var (call, name) in calls)
            {
                if (requestMethods.Contains(name) || definitionMethods.Contains(name) || senders.Contains(name))
                {
                    (kept ??= new List<InvocationExpressionSyntax>()).Add(call);
                }
            }

            if (kept is not null)
            {
                kept.Sort((a, b) => a.SpanStart.CompareTo(b.SpanStart));
                index[tree] = kept.ToArray();
            }
        }

        return new ModelCallIndex(senders, index);
    }

    /// <summary>Adds the calls of interest inside <paramref name="node"/> in the order of their position.</summary>
    public void AddCallsIn(SyntaxNode node, List<InvocationExpressionSyntax> found)
    {
        var span = node.Span;
        if (!_calls.TryGetValue(node.SyntaxTree, out var calls))
        {
            calls = NoCalls;
        }

        // The first call that starts at or after the node, then every call until one starts past its end.
        int low = 0, high = calls.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (calls[middle].SpanStart < span.Start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (int i = low; i < calls.Length && calls[i].SpanStart < span.End; i++)
        {
            if (span.Contains(calls[i].Span))
            {
                found.Add(calls[i]);
            }
        }
    }

    /// <summary>The method a call is made from: the nearest method or local function; none in other members.</summary>
    private static string? EnclosingMethodName(SyntaxNode node)
    {
        for (var ancestor = node.Parent; ancestor is not null; ancestor = ancestor.Parent)
        {
            switch (ancestor)
            {
                case LocalFunctionStatementSyntax function:
                    return function.Identifier.ValueText;
                case MethodDeclarationSyntax method:
                    return method.Identifier.ValueText;
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>The called name: <c>CompleteChatAsync</c> in <c>client.CompleteChatAsync(…)</c>.</summary>
    public static string? CalledName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };
}
