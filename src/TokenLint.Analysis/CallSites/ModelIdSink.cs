using Microsoft.CodeAnalysis;
using TokenLint.Analysis.Catalog;

namespace TokenLint.Analysis.CallSites;

/// <summary>An expression that hands a model id to a client or request, and who serves that client.</summary>
public sealed class ModelIdSink
{
    public ModelIdSink(IOperation modelExpression, ModelProvider provider, ServiceKind service)
    {
        ModelExpression = modelExpression;
        Provider = provider;
        Service = service;
    }

    public IOperation ModelExpression { get; }

    public ModelProvider Provider { get; }

    public ServiceKind Service { get; }
}
