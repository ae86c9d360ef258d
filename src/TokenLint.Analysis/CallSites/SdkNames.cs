using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// What an SDK says by name alone, without a compilation: the calls that read a message list they are given
/// (rather than fill it), and how its responses ask for tools. Each SDK's file declares one; <see cref="SdkTypes.Names"/>
/// lists them.
/// </summary>
internal sealed class SdkNames
{
    public SdkNames(IReadOnlyList<string> messageReaders, Func<IOperation, bool>? isToolSignal = null, Func<ITypeSymbol, bool>? isToolCallType = null, IReadOnlyList<string>? finishReasonTypes = null, IReadOnlyList<string>? otherRequestMethods = null, IReadOnlyList<string>? definitionMethods = null)
    {
        RequestMethods = otherRequestMethods is null ? messageReaders : new List<string>(messageReaders).Concat(otherRequestMethods).ToList();
        DefinitionMethods = definitionMethods ?? Array.Empty<string>();
        FinishReasonTypes = finishReasonTypes ?? Array.Empty<string>();
        MessageReaders = messageReaders;
        IsToolSignal = isToolSignal ?? (_ => false);
        IsToolCallType = isToolCallType ?? (_ => false);
    }

    /// <summary>Method names that send a request: passing a message list to these reads it, it does not fill it.</summary>
    public IReadOnlyList<string> MessageReaders { get; }

    /// <summary>Every method name that may send a request (the message readers and calls that take a prompt or a
    /// function): a method whose body names none of these sends no request itself.</summary>
    public IReadOnlyList<string> RequestMethods { get; }

    /// <summary>Method names that define a request sent later by code the catalog does not see (a prompt function).</summary>
    public IReadOnlyList<string> DefinitionMethods { get; }

    /// <summary>An operation that says the model asks for tools (<c>StopReason.ToolUse</c>, <c>"tool_calls"</c>…).</summary>
    public Func<IOperation, bool> IsToolSignal { get; }

    /// <summary>A type that is one tool call of a response (<c>ToolUseBlock</c>, <c>ChatToolCall</c>…).</summary>
    public Func<ITypeSymbol, bool> IsToolCallType { get; }

    /// <summary>Names of the types that say why a response ended (<c>ChatFinishReason</c>, <c>StopReason</c>).</summary>
    public IReadOnlyList<string> FinishReasonTypes { get; }
}
