using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// What the SDK files use to read a call: the client it goes through, its model id, integer settings, tool
/// sources and prompt parts. One per compilation, held by the call-site catalog.
/// </summary>
internal sealed class CallSiteReader
{
    private readonly System.Lazy<ModelCatalog> _models;

    /// <param name="models">The model catalog, asked for only when a call needs a model's data (an SDK enum member).</param>
    public CallSiteReader(SdkTypes types, System.Func<ModelCatalog> models)
    {
        Types = types;
        _models = new System.Lazy<ModelCatalog>(models);
        Origins = new ClientOriginTracer(types);
        Prompts = new PromptPartCollector(types);
    }

    public SdkTypes Types { get; }

    public ModelCatalog Models => _models.Value;

    public ClientOriginTracer Origins { get; }

    public PromptPartCollector Prompts { get; }

    /// <summary>Where the client a call goes through was created, when the code shows it.</summary>
    public ClientOrigin? ReceiverOrigin(IInvocationOperation invocation) =>
        SdkSymbols.ReceiverOf(invocation) is { } receiver ? Origins.Trace(receiver) : null;

    /// <summary>The model an expression names, served as the client's origin says.</summary>
    public ModelReference? ModelFrom(IOperation? expression, ClientOrigin? origin, ModelProvider provider, bool shared) =>
        ResolveModel(expression, provider, origin?.Service ?? ServiceKind.Unknown, shared);

    /// <summary>The model an expression names; the catalog is read only for an SDK enum member.</summary>
    public ModelReference? ResolveModel(IOperation? expression, ModelProvider provider, ServiceKind service, bool shared) =>
        ModelIdResolver.Resolve(expression, _models, Types, provider, service, shared);

    /// <summary>An integer setting (an output limit) with a value the code shows, through locals and fields.</summary>
    public static RequestSetting? Setting(IOperation? value)
    {
        if (value is null)
        {
            return null;
        }

        var operation = ValueTracer.Unwrap(value);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            switch (operation.ConstantValue)
            {
                case { HasValue: true, Value: int i }:
                    return new RequestSetting(i, value.Syntax);
                case { HasValue: true, Value: long l }:
                    return new RequestSetting(l, value.Syntax);
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var next, out _))
            {
                return null;
            }

            operation = ValueTracer.Unwrap(next);
        }

        return null;
    }

    /// <summary>
    /// The expressions a request's tools come from: <c>Tools = source</c>, <c>Tools.AddRange(source)</c>, and the
    /// collection of a <c>foreach</c> that calls <c>Tools.Add</c>. A single <c>Add</c> outside a loop adds in code
    /// order, which is stable.
    /// </summary>
    public static List<IOperation> ToolSources(ObjectSettings? settings)
    {
        var sources = new List<IOperation>();
        if (settings is null)
        {
            return sources;
        }

        if (settings.Get("Tools") is { } assigned)
        {
            sources.Add(assigned);
        }

        foreach (var add in settings.AddsTo("Tools"))
        {
            if (add.TargetMethod.Name == "AddRange" && add.Arguments.Length > 0)
            {
                sources.Add(add.Arguments[0].Value);
            }
            else if (add.Syntax.FirstAncestorOrSelf<ForEachStatementSyntax>() is { } loop
                && add.SemanticModel?.GetOperation(loop.Expression) is { } enumerated)
            {
                sources.Add(enumerated);
            }
        }

        return sources;
    }
}
