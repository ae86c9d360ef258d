using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// How the supported SDKs say "the model asks for tools", for the loop rules (TL3001, TL3003, TL4004). Each SDK's
/// file lists its own signals and tool-call types (<see cref="SdkNames"/>); this class asks them all, and adds the tests that work alike
/// for every SDK (<c>OfType&lt;T&gt;()</c>, <c>is T</c> on a tool-call type).
/// </summary>
public static class ToolSignals
{
    /// <summary>The model asking for tools: <c>ChatFinishReason.ToolCalls</c>, <c>StopReason.ToolUse</c>,
    /// <c>"tool_use"</c>, an OpenAI <c>ChatCompletion.ToolCalls</c> list, Semantic Kernel's
    /// <c>FunctionCallContent.GetFunctionCalls(...)</c> and <c>FunctionCallContentBuilder.Build()</c>, Anthropic's <c>TryPickToolUse</c>, or a test for a tool-call
    /// type (<c>FunctionCallContent</c>, <c>ToolUseBlock</c>, <c>FunctionCallResponseItem</c>, <c>ChatToolCall</c>).</summary>
    public static bool IsToolSignal(IOperation operation) => operation switch
    {
        IInvocationOperation { TargetMethod: { Name: "OfType", IsGenericMethod: true } method } => IsToolCallType(method.TypeArguments[0]),
        IIsTypeOperation { TypeOperand: { } type } => IsToolCallType(type),
        IIsPatternOperation { Pattern: ITypePatternOperation { MatchedType: { } matched } } => IsToolCallType(matched),
        IIsPatternOperation { Pattern: IDeclarationPatternOperation { MatchedType: { } declared } } => IsToolCallType(declared),
        _ => IsSdkToolSignal(operation),
    };

    /// <summary>A list of tool calls (<c>IReadOnlyList&lt;FunctionCallContent&gt;</c>, <c>IEnumerable&lt;ChatToolCall&gt;</c>…).</summary>
    public static bool IsToolCallCollection(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Length == 1 && IsToolCallType(named.TypeArguments[0])
        || type is IArrayTypeSymbol array && IsToolCallType(array.ElementType);

    /// <summary>
    /// Why a response ended, read or compared: a response's <c>FinishReason</c> / <c>StopReason</c>, or one of its
    /// values (<c>ChatFinishReason.Stop</c>, <c>StopReason.EndTurn</c>). A test of it is a test of whether the model
    /// stopped asking for tools.
    /// </summary>
    public static bool IsFinishReason(IOperation operation)
    {
        var member = operation switch
        {
            IFieldReferenceOperation field => (ISymbol)field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
        if (member is null)
        {
            return false;
        }

        var valueType = operation.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : operation.Type;
        foreach (var sdk in SdkTypes.Names)
        {
            foreach (var name in sdk.FinishReasonTypes)
            {
                if (member.ContainingType?.Name == name || valueType?.Name == name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsSdkToolSignal(IOperation operation)
    {
        foreach (var sdk in SdkTypes.Names)
        {
            if (sdk.IsToolSignal(operation))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsToolCallType(ITypeSymbol type)
    {
        foreach (var sdk in SdkTypes.Names)
        {
            if (sdk.IsToolCallType(type))
            {
                return true;
            }
        }

        return false;
    }
}
