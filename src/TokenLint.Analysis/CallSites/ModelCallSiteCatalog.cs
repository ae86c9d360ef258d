using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Which invocations send a request to a model, and where that request's model id, output limit,
/// structured-output type and prompt text come from. Rules ask this catalog; they never name SDK types
/// themselves, and neither does the catalog: it asks each SDK's file (<see cref="SdkTypes"/>). Create one per
/// compilation.
/// </summary>
public sealed class ModelCallSiteCatalog
{
    private readonly CallSiteReader _reader;

    /// <summary>
    /// Several rules ask about the same invocation: it is recognised and traced once. The compiler runs rules
    /// concurrently, and GetOrAdd alone would let two of them recognise the same call at once: each entry is a Lazy,
    /// run by the first rule that asks while the others wait for its answer.
    /// </summary>
    private readonly ConcurrentDictionary<SyntaxNode, System.Lazy<ModelCallSite?>> _callSites = new();

    private readonly ConcurrentDictionary<SyntaxNode, ModelCallSite> _definitions = new();

    public ModelCallSiteCatalog(SdkTypes types, ModelCatalog models)
        : this(types, () => models)
    {
    }

    /// <param name="types">The SDK types of the compilation.</param>
    /// <param name="models">The model catalog, built only when a rule or call needs a model's data.</param>
    public ModelCallSiteCatalog(SdkTypes types, System.Func<ModelCatalog> models)
    {
        _reader = new CallSiteReader(types, models);
        _requestMethods = NamesOf(types, sdk => sdk.RequestMethods);
        _definitionMethods = NamesOf(types, sdk => sdk.DefinitionMethods);
        _senders = new PromptSenders(this);
    }

    private readonly PromptSenders _senders;

    /// <summary>The referenced SDKs' method names that may send a request, and that may define one.</summary>
    private readonly HashSet<string> _requestMethods;
    private readonly HashSet<string> _definitionMethods;

    /// <summary>True for a method name a referenced SDK may send a request with (the catalog recognises no other).</summary>
    internal bool IsRequestMethodName(string name) => _requestMethods.Contains(name);

    private ModelCallIndex? _index;

    /// <summary>The compilation's calls that may concern a model, by name (built as rules ask, file by file).</summary>
    internal ModelCallIndex Index(Compilation compilation)
    {
        if (System.Threading.Volatile.Read(ref _index) is { } made)
        {
            return made;
        }

        System.Threading.Interlocked.CompareExchange(ref _index, new ModelCallIndex(compilation, _requestMethods, _definitionMethods, PromptSenders.MaxDepth), null);
        return _index;
    }

    /// <summary>
    /// The invocations in these operation blocks (a member's body and initializers) that may be model calls or
    /// request definitions, and with <paramref name="promptSenders"/> calls of a method that sends a prompt
    /// (<see cref="PromptsSentThrough"/>), in the order of their position: every other invocation is none of these
    /// by its name. Found in an index of the file's calls, so a body without any costs a lookup, not a walk of its
    /// operations.
    /// </summary>
    public IReadOnlyList<IInvocationOperation> ModelInvocationsIn(System.Collections.Immutable.ImmutableArray<IOperation> blocks, bool promptSenders)
    {
        if (blocks.IsEmpty || blocks[0].SemanticModel is not { } model)
        {
            return System.Array.Empty<IInvocationOperation>();
        }

        var index = Index(model.Compilation);
        var calls = new List<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>();
        foreach (var block in blocks)
        {
            index.AddCallsIn(block.Syntax, calls, promptSenders);
        }

        if (calls.Count == 0)
        {
            return System.Array.Empty<IInvocationOperation>();
        }

        var found = new List<IInvocationOperation>(calls.Count);
        var seen = blocks.Length > 1 ? new HashSet<SyntaxNode>() : null;
        foreach (var call in calls)
        {
            if ((seen is null || seen.Add(call)) && model.GetOperation(call) is IInvocationOperation invocation)
            {
                found.Add(invocation);
            }
        }

        return found;
    }

    /// <summary>
    /// False when <paramref name="node"/> holds no call that may be a model call (by the called name): a rule about
    /// loops around model calls skips every other loop without walking its operations.
    /// </summary>
    public bool MayHoldModelCall(SyntaxNode node, Compilation compilation) => Index(compilation).HoldsRequestCall(node);

    private static HashSet<string> NamesOf(SdkTypes types, System.Func<SdkNames, IReadOnlyList<string>> names)
    {
        var all = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var sdk in types.Surfaces)
        {
            // An SDK the compilation does not reference has no calls in it.
            if (sdk.IsReferenced && sdk.ByName is { } byName)
            {
                all.UnionWith(names(byName));
            }
        }

        return all;
    }

    /// <summary>
    /// For a call of a method of this compilation that sends a model a prompt from its parameters (a few methods deep),
    /// the model calls it makes, with the parameters replaced by this call's arguments; empty for any other call.
    /// </summary>
    public IReadOnlyList<ForwardedPrompt> PromptsSentThrough(IInvocationOperation invocation) => _senders.Through(invocation);

    /// <summary>The first message of the conversation a call sends, rewritten on every turn of a loop that grows it.</summary>
    public IReadOnlyList<FirstMessageRewrite> FirstMessageRewrites(ModelCallSite callSite) => CallSites.FirstMessageRewrites.Of(callSite, _reader);

    public SdkTypes Types => _reader.Types;

    public ModelCatalog Models => _reader.Models;

    /// <summary>Recognises an invocation that sends a request to a model, streaming or not.</summary>
    public bool TryGetCallSite(IInvocationOperation invocation, out ModelCallSite callSite)
    {
        // Every rule asks about every invocation: a call of another name is answered without a lookup, and a
        // lookup that finds it allocates nothing.
        if (!_requestMethods.Contains(invocation.TargetMethod.Name))
        {
            callSite = null!;
            return false;
        }

        if (!_callSites.TryGetValue(invocation.Syntax, out var entry))
        {
            entry = _callSites.GetOrAdd(invocation.Syntax, _ => new System.Lazy<ModelCallSite?>(() => Recognize(invocation)));
        }

        ModelCallSite? known;
        try
        {
            known = entry.Value;
        }
        catch
        {
            // A Lazy keeps its exception (a cancelled analysis, say): forget it, so that the next rule to ask tries again.
            ((System.Collections.Generic.ICollection<System.Collections.Generic.KeyValuePair<SyntaxNode, System.Lazy<ModelCallSite?>>>)_callSites)
                .Remove(new System.Collections.Generic.KeyValuePair<SyntaxNode, System.Lazy<ModelCallSite?>>(invocation.Syntax, entry));
            throw;
        }

        callSite = known!;
        return known is not null;
    }

    /// <summary>
    /// Recognises a call that defines a model request which code the catalog does not see sends (a Semantic Kernel
    /// function created from a prompt and handed to a plugin): what it will send, as far as the definition shows.
    /// Rules about a request's text and model ask this too; rules about how often a request is sent do not.
    /// </summary>
    public bool TryGetRequestDefinition(IInvocationOperation invocation, out ModelCallSite callSite)
    {
        // Only definitions are kept: nearly every call is none, and its name says so.
        if (!_definitionMethods.Contains(invocation.TargetMethod.Name))
        {
            callSite = null!;
            return false;
        }

        if (!_definitions.TryGetValue(invocation.Syntax, out var found) && RecognizeDefinition(invocation) is { } recognized)
        {
            found = _definitions.GetOrAdd(invocation.Syntax, recognized);
        }

        callSite = found!;
        return found is not null;
    }

    private ModelCallSite? RecognizeDefinition(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var definition = method.ReducedFrom ?? method.OriginalDefinition;
        if (definition.ContainingType is null)
        {
            return null;
        }

        foreach (var sdk in _reader.Types.Surfaces)
        {
            if (sdk.ByName?.DefinitionMethods.Contains(definition.Name) == true
                && sdk.RecognizeDefinition(invocation, definition, _reader) is { } callSite)
            {
                return callSite;
            }
        }

        return null;
    }

    private ModelCallSite? Recognize(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var definition = method.ReducedFrom ?? method.OriginalDefinition;
        if (definition.ContainingType is null)
        {
            return null;
        }

        foreach (var sdk in _reader.Types.Surfaces)
        {
            // Each SDK is asked only about its own request names, so that its names and its recognition agree.
            if (sdk.ByName?.RequestMethods.Contains(definition.Name) == true
                && sdk.Recognize(invocation, definition, _reader) is { } callSite)
            {
                return callSite;
            }
        }

        return null;
    }

    /// <summary>
    /// Recognises an operation that hands a model id to a client or request: a constructor or factory argument,
    /// or a <c>Model</c> property assignment. TL1002 checks these wherever they are, called or not.
    /// </summary>
    public bool TryGetModelIdSink(IOperation operation, out ModelIdSink sink)
    {
        foreach (var sdk in _reader.Types.Surfaces)
        {
            if (sdk.ModelIdSink(operation, _reader) is { } found)
            {
                sink = found;
                return true;
            }
        }

        sink = null!;
        return false;
    }

    /// <summary>Resolves a sink's expression to a model reference (literal, constant, enum member, traced value).</summary>
    public ModelReference? ResolveModel(ModelIdSink sink) =>
        _reader.ResolveModel(sink.ModelExpression, sink.Provider, sink.Service, shared: false);
}
