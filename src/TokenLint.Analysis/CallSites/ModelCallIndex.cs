using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Where a compilation's calls that may concern a model are, by the called name: calls of an SDK's request or
/// request-defining methods, and calls of this compilation's methods that may send a prompt a few calls deep
/// (<see cref="PromptSenders"/>). A file whose text names none of them is never walked; another file's calls are
/// listed in one walk of its syntax when a rule first asks about it. Rules that read a body's or a loop's model
/// calls look them up here rather than walk its operations; nothing is bound. One per compilation.
/// </summary>
internal sealed class ModelCallIndex
{
    private readonly Compilation _compilation;
    private readonly HashSet<string> _requestMethods;
    private readonly HashSet<string> _definitionMethods;
    private readonly int _depth;
    private readonly ConcurrentDictionary<SyntaxTree, Call[]> _callsByFile = new();
    private readonly ConcurrentDictionary<SyntaxTree, bool> _namesSdkMethod = new();
    private readonly ConcurrentDictionary<SyntaxTree, bool> _namesSender = new();
    private HashSet<string>? _senderNames;
    private readonly object _senderNamesLock = new();

    /// <param name="requestMethods">Names of the SDK methods that may send a request.</param>
    /// <param name="definitionMethods">Names of the SDK methods that may define a request sent later.</param>
    /// <param name="depth">How many methods deep a prompt is followed.</param>
    public ModelCallIndex(Compilation compilation, HashSet<string> requestMethods, HashSet<string> definitionMethods, int depth)
    {
        _compilation = compilation;
        _requestMethods = requestMethods;
        _definitionMethods = definitionMethods;
        _depth = depth;
    }

    /// <summary>A named call, and the method or local function it is made from (null in other members).</summary>
    /// <remarks>A class: lists of it share the runtime's compiled code for reference types.</remarks>
    private sealed class Call
    {
        public Call(InvocationExpressionSyntax syntax, string name, string? caller)
        {
            Syntax = syntax;
            Name = name;
            Caller = caller;
        }

        public InvocationExpressionSyntax Syntax { get; }

        public string Name { get; }

        public string? Caller { get; }
    }

    /// <summary>
    /// The names of the methods that may send a prompt, a few calls deep, by syntax alone: a method whose body calls
    /// a request method, or calls one of these names. Reads every file's calls the first time it is asked.
    /// </summary>
    public HashSet<string> SenderNames
    {
        get
        {
            if (System.Threading.Volatile.Read(ref _senderNames) is { } known)
            {
                return known;
            }

            lock (_senderNamesLock)
            {
                return _senderNames ??= FindSenderNames();
            }
        }
    }

    /// <summary>
    /// Adds the calls inside <paramref name="node"/> of SDK request or request-defining names, and with
    /// <paramref name="senders"/> of methods that may send a prompt, in the order of their position.
    /// </summary>
    public void AddCallsIn(SyntaxNode node, List<InvocationExpressionSyntax> found, bool senders)
    {
        var senderNames = senders ? SenderNames : null;
        if (!NamesSdkMethod(node.SyntaxTree) && (senderNames is null || !NamesSender(node.SyntaxTree, senderNames)))
        {
            return;
        }

        var calls = CallsOf(node.SyntaxTree);
        var span = node.Span;
        for (int i = FirstAtOrAfter(calls, span.Start); i < calls.Length && calls[i].Syntax.SpanStart < span.End; i++)
        {
            var call = calls[i];
            if ((_requestMethods.Contains(call.Name) || _definitionMethods.Contains(call.Name) || senderNames?.Contains(call.Name) == true)
                && span.Contains(call.Syntax.Span))
            {
                found.Add(call.Syntax);
            }
        }
    }

    /// <summary>True when <paramref name="node"/> holds a call of an SDK request name.</summary>
    public bool HoldsRequestCall(SyntaxNode node)
    {
        if (!NamesSdkMethod(node.SyntaxTree))
        {
            return false;
        }

        var calls = CallsOf(node.SyntaxTree);
        var span = node.Span;
        for (int i = FirstAtOrAfter(calls, span.Start); i < calls.Length && calls[i].Syntax.SpanStart < span.End; i++)
        {
            if (_requestMethods.Contains(calls[i].Name) && span.Contains(calls[i].Syntax.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstAtOrAfter(Call[] calls, int position)
    {
        int low = 0, high = calls.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (calls[middle].Syntax.SpanStart < position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private Call[] CallsOf(SyntaxTree tree) =>
        _callsByFile.TryGetValue(tree, out var calls) ? calls : _callsByFile.GetOrAdd(tree, ReadCalls);

    /// <summary>Every named call of a file, in the order of its position (a walk lists a node before its descendants).</summary>
    private static Call[] ReadCalls(SyntaxTree tree)
    {
        var calls = new List<Call>();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            if (node is InvocationExpressionSyntax call && CalledName(call.Expression) is { } name)
            {
                calls.Add(new Call(call, name, EnclosingMethodName(call)));
            }
        }

        return calls.ToArray();
    }

    /// <summary>
    /// Level by level: the methods that call a request method, then those that call one of them, up to the depth a
    /// prompt is followed. Only files whose text names a method of the level before are walked.
    /// </summary>
    private HashSet<string> FindSenderNames()
    {
        var senders = new HashSet<string>(System.StringComparer.Ordinal);
        var called = _requestMethods;
        for (int level = 0; level < _depth && called.Count > 0; level++)
        {
            var callers = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var tree in _compilation.SyntaxTrees)
            {
                if (level == 0 ? !NamesSdkMethod(tree) : !Mentions(tree, called))
                {
                    continue;
                }

                foreach (var call in CallsOf(tree))
                {
                    if (call.Caller is { } caller && called.Contains(call.Name) && !senders.Contains(caller))
                    {
                        callers.Add(caller);
                    }
                }
            }

            senders.UnionWith(callers);
            called = callers;
        }

        return senders;
    }

    /// <summary>True when the file's text names an SDK request or request-defining method (in code or not).</summary>
    private bool NamesSdkMethod(SyntaxTree tree) =>
        _namesSdkMethod.TryGetValue(tree, out bool names) ? names : _namesSdkMethod.GetOrAdd(tree, t => Mentions(t, _requestMethods) || Mentions(t, _definitionMethods));

    private bool NamesSender(SyntaxTree tree, HashSet<string> senderNames) =>
        _namesSender.TryGetValue(tree, out bool names) ? names : _namesSender.GetOrAdd(tree, t => Mentions(t, senderNames));

    /// <summary>True when the file's text holds one of the names as a word (in code or not): a call of none of them is not in it.</summary>
    private static bool Mentions(SyntaxTree tree, HashSet<string> names)
    {
        if (names.Count == 0 || !tree.TryGetText(out var source))
        {
            // A tree without its text (built in code) is read rather than searched.
            return names.Count > 0;
        }

        string text = source.ToString();
        foreach (var name in names)
        {
            for (int at = text.IndexOf(name, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, System.StringComparison.Ordinal))
            {
                // "Create" names Create(…) but not CreateBuilder(…).
                int end = at + name.Length;
                if ((at == 0 || !IsIdentifierPart(text[at - 1])) && (end == text.Length || !IsIdentifierPart(text[end])))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

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
