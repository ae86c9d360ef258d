using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// What one SDK teaches the call-site catalog: its types (resolved once per compilation), the calls that send a
/// request, where their model id and options are set, how its clients are built and who serves them, and the
/// shape of its messages. Each supported SDK has one subclass in a folder of its own; the catalog, the client
/// tracer and the prompt collector ask every SDK in turn and know none of them. Every member answers "not mine"
/// by default.
/// </summary>
internal abstract class SdkSurface
{
    /// <summary>True when the compilation references this SDK's request surface: TokenLint's model rules run.</summary>
    public virtual bool IsReferenced => false;

    /// <summary>
    /// What this SDK says by name alone. The catalog asks <see cref="Recognize"/> only about calls of its
    /// <see cref="SdkNames.RequestMethods"/> and <see cref="RecognizeDefinition"/> only about its
    /// <see cref="SdkNames.DefinitionMethods"/>: every rule asks about every invocation, and a name test answers
    /// nearly all of them.
    /// </summary>
    public virtual SdkNames? ByName => null;

    /// <summary>A call that sends a request to a model through this SDK, or null.</summary>
    public virtual ModelCallSite? Recognize(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader) => null;

    /// <summary>
    /// A call that defines a request sent later by code the catalog does not see (a prompt function handed to a
    /// plugin), or null. Rules about a request's text and model read these; rules about sending it do not.
    /// </summary>
    public virtual ModelCallSite? RecognizeDefinition(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader) => null;

    /// <summary>An operation that hands a model id to one of this SDK's clients or requests, or null.</summary>
    public virtual ModelIdSink? ModelIdSink(IOperation operation, CallSiteReader reader) => null;

    /// <summary>Who serves a client this SDK creates with <c>new</c>. True when the type is this SDK's client,
    /// even when <paramref name="origin"/> stays unknown.</summary>
    public virtual bool TryOriginOfCreation(IObjectCreationOperation creation, INamedTypeSymbol type, ClientOriginTracer tracer, int depth, out ClientOrigin? origin)
    {
        origin = null;
        return false;
    }

    /// <summary>Who serves a client one of this SDK's factories returns. True when the call is this SDK's, even
    /// when <paramref name="origin"/> stays unknown.</summary>
    public virtual bool TryOriginOfInvocation(IInvocationOperation invocation, IMethodSymbol method, IOperation? receiver, ClientOriginTracer tracer, int depth, bool shared, out ClientOrigin? origin)
    {
        origin = null;
        return false;
    }

    /// <summary>
    /// An expression that stands for a client it belongs to (a service of the client, a builder configured in
    /// the same body): the expression to trace instead, or null. <paramref name="isShared"/> says that the
    /// client reached that way may serve other calls.
    /// </summary>
    public virtual IOperation? ClientBehind(IOperation operation, out bool isShared)
    {
        isShared = false;
        return null;
    }

    /// <summary>A client whose creation the code does not show (injected), as far as its static type says.</summary>
    public virtual ClientOrigin? OriginOfUntracedClient(IOperation operation) => null;

    /// <summary>Adds the parts of a message this SDK creates with <c>new</c>; true when the type is this SDK's message.</summary>
    public virtual bool TryAddCreatedMessage(List<PromptPart> parts, IObjectCreationOperation creation, INamedTypeSymbol type, PromptPartCollector collector) => false;

    /// <summary>Adds the parts of a message one of this SDK's factories builds; true when the call is one.</summary>
    public virtual bool TryAddFactoryMessage(List<PromptPart> parts, IInvocationOperation invocation) => false;

    /// <summary>Adds the parts of a message this SDK converts implicitly from text (<c>CompleteChat("…")</c>); true when the conversion is one.</summary>
    public virtual bool TryAddConvertedMessage(List<PromptPart> parts, IConversionOperation conversion) => false;

    /// <summary>True for a settable property that is a message's whole text (Semantic Kernel's <c>ChatMessageContent.Content</c>).</summary>
    public virtual bool IsMessageText(IPropertySymbol property) => false;

    /// <summary>True for the enum whose members name this SDK's models (their names are catalog aliases).</summary>
    public virtual bool IsModelEnum(INamedTypeSymbol type) => false;
}
