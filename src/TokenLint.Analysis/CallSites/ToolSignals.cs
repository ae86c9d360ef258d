using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// How each supported SDK says "the model asks for tools". SDK knowledge, kept with the call-site catalog so that a
/// new SDK or SDK version changes this file, not the loop rules (TL3001, TL3003, TL4004) that ask it.
/// </summary>
public static class ToolSignals
{
    /// <summary>The model asking for tools: <c>ChatFinishReason.ToolCalls</c>, <c>StopReason.ToolUse</c>,
    /// <c>"tool_use"</c>, an OpenAI <c>ChatCompletion.ToolCalls</c> list, Semantic Kernel's
    /// <c>FunctionCallContent.GetFunctionCalls(...)</c> and <c>FunctionCallContentBuilder.Build()</c>, Anthropic's <c>TryPickToolUse</c>, or a test for a tool-call
    /// type (<c>FunctionCallContent</c>, <c>ToolUseBlock</c>, <c>FunctionCallResponseItem</c>, <c>ChatToolCall</c>).</summary>
    public static bool IsToolSignal(IOperation operation) => operation switch
    {
        IFieldReferenceOperation { Field: { Name: "ToolCalls" or "FunctionCall" } field } => field.ContainingType?.Name == "ChatFinishReason",
        IFieldReferenceOperation { Field: { Name: "ToolUse" } field } => field.ContainingType?.Name == "StopReason",
        IPropertyReferenceOperation { Property: { Name: "ToolCalls", IsStatic: true } property } => property.ContainingType?.Name == "ChatFinishReason",
        IPropertyReferenceOperation { Property: { Name: "ToolCalls", IsStatic: false } property } => property.ContainingType?.Name is "ChatCompletion" or "StreamingChatCompletionUpdate",
        ILiteralOperation { ConstantValue.Value: "tool_use" or "tool_calls" or "requires_action" } => true,
        IInvocationOperation { TargetMethod: { Name: "OfType", IsGenericMethod: true } method } => IsToolCallType(method.TypeArguments[0]),
        IInvocationOperation { TargetMethod: { Name: "GetFunctionCalls", IsStatic: true } method } => method.ContainingType?.Name == "FunctionCallContent",
        IInvocationOperation { TargetMethod.Name: "TryPickToolUse" } => true,
        IInvocationOperation { TargetMethod: { Name: "Build" } build } => build.ContainingType?.Name == "FunctionCallContentBuilder",
        IIsTypeOperation { TypeOperand: { } type } => IsToolCallType(type),
        IIsPatternOperation { Pattern: ITypePatternOperation { MatchedType: { } matched } } => IsToolCallType(matched),
        IIsPatternOperation { Pattern: IDeclarationPatternOperation { MatchedType: { } declared } } => IsToolCallType(declared),
        _ => false,
    };

    /// <summary>A list of tool calls (<c>IReadOnlyList&lt;FunctionCallContent&gt;</c>, <c>IEnumerable&lt;ChatToolCall&gt;</c>…).</summary>
    public static bool IsToolCallCollection(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Length == 1 && IsToolCallType(named.TypeArguments[0])
        || type is IArrayTypeSymbol array && IsToolCallType(array.ElementType);

    private static bool IsToolCallType(ITypeSymbol type) =>
        type.Name is "FunctionCallContent" or "ToolUseBlock" or "FunctionCallResponseItem" or "ChatToolCall";
}
