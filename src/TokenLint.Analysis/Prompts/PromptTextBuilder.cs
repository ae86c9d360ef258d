using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;

namespace TokenLint.Analysis.Prompts;

/// <summary>Builds the <see cref="PromptText"/> of an expression.</summary>
public static partial class PromptTextBuilder
{
    /// <summary>
    /// A composite-format item; built on the first <c>string.Format</c> read, since constructing a regex is among the
    /// costliest first calls a compiler process makes for TokenLint, and most projects format no prompt that way.
    /// </summary>
    private static class FormatItems
    {
        public static readonly Regex Pattern = new(@"\{(\d+)(,[^:}]*)?(:[^}]*)?\}|\{\{|\}\}", RegexOptions.CultureInvariant);
    }

    /// <summary>The text of one prompt part; a part whose text the code does not show is one unknown segment.</summary>
    public static PromptText Build(TokenLint.Analysis.CallSites.PromptPart part) =>
        part.IsOpaque ? PromptText.Opaque(part.Text.Syntax)
        : part.TemplatePieces is { } pieces ? Build(pieces)
        : Build(part.Text);

    /// <summary>A prompt rendered from a template: its text is static, a value the template fills in is read like
    /// any other value, and one the code does not show changes per request.</summary>
    private static PromptText Build(IReadOnlyList<TemplatePiece> pieces)
    {
        var segments = new List<PromptSegment>();
        foreach (var piece in pieces)
        {
            if (piece.Text is { } text)
            {
                segments.Add(new PromptSegment(Volatility.Static, text, null, piece.Syntax));
            }
            else if (piece.Value is { } value)
            {
                Append(segments, value, 0, viaField: false);
            }
            else
            {
                segments.Add(new PromptSegment(piece.Reason is null ? Volatility.Unknown : Volatility.PerRequest, null, piece.Reason, piece.Syntax));
            }
        }

        return new PromptText(Merge(segments));
    }

    public static PromptText Build(IOperation expression)
    {
        var segments = new List<PromptSegment>();
        Append(segments, expression, 0, viaField: false);
        return new PromptText(Merge(segments));
    }

    /// <param name="viaField">True once the text came through a field or property: a value computed when the field
    /// was set (a static readonly start time) is stable for the object's or the process's life, not per call.</param>
    private static void Append(List<PromptSegment> segments, IOperation expression, int depth, bool viaField)
    {
        var operation = ValueTracer.Unwrap(expression);
        if (operation.ConstantValue is { HasValue: true, Value: string text })
        {
            segments.Add(new PromptSegment(Volatility.Static, text, null, operation.Syntax));
            return;
        }

        if (depth > ValueTracer.MaxDepth)
        {
            AddValue(segments, operation, viaField);
            return;
        }

        switch (operation)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolatedStringTextOperation textPart when textPart.Text.ConstantValue.Value is string literal:
                            segments.Add(new PromptSegment(Volatility.Static, literal, null, textPart.Syntax));
                            break;
                        case IInterpolationOperation hole when hole.FormatString is null && hole.Alignment is null:
                            Append(segments, hole.Expression, depth + 1, viaField);
                            break;
                        case IInterpolationOperation formatted:
                            AddValue(segments, formatted.Expression, viaField, formatted.Syntax, (formatted.FormatString as ILiteralOperation)?.ConstantValue.Value as string);
                            break;
                    }
                }

                return;

            case IInterpolatedStringHandlerCreationOperation { Content: IInterpolatedStringOperation handled }:
                // sb.Append($"…") and friends: the same parts, as AppendLiteral/AppendFormatted calls.
                foreach (var part in handled.Parts)
                {
                    if (part is IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation { Arguments.Length: > 0 } call })
                    {
                        if (call.Arguments.Length == 1)
                        {
                            Append(segments, call.Arguments[0].Value, depth + 1, viaField);
                        }
                        else
                        {
                            AddValue(segments, call.Arguments[0].Value, viaField, part.Syntax, call.Arguments.Select(a => a.Value.ConstantValue.Value).OfType<string>().FirstOrDefault());
                        }
                    }
                }

                return;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation when concatenation.Type?.SpecialType == SpecialType.System_String:
                Append(segments, concatenation.LeftOperand, depth + 1, viaField);
                Append(segments, concatenation.RightOperand, depth + 1, viaField);
                return;

            case IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, Name: "Concat" } } concat:
                foreach (var value in Values(concat))
                {
                    Append(segments, value, depth + 1, viaField);
                }

                return;

            case IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, Name: "Format" } } format
                when TryAppendFormat(segments, format, depth, viaField):
                return;

            case IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, Name: "Replace", IsStatic: false }, Instance: { } template, Arguments.Length: 2 } replace
                when replace.Arguments[0].Value.ConstantValue.Value is string { Length: > 0 } placeholder
                    && replace.Arguments[1].Value.Type?.SpecialType == SpecialType.System_String:
                AppendReplaced(segments, template, placeholder, replace.Arguments[1].Value, depth, viaField);
                return;

            case IInvocationOperation { TargetMethod.Name: "ToString", Instance: ILocalReferenceOperation builder, Arguments.Length: 0 }
                when builder.Type?.Name == "StringBuilder" && TryAppendStringBuilder(segments, builder, depth, viaField):
                return;

            case IInvocationOperation helper when TryAppendHelper(segments, helper, depth, viaField):
                return;

            case IPropertyReferenceOperation computed when TryAppendGetter(segments, computed, depth, viaField):
                return;

            case ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                when ValueTracer.TryGetSingleValue(operation, out var value, out _) || ValueTracer.TryGetMemberValueInItsFile(operation, out value):
                Append(segments, value, depth + 1, viaField || operation is not ILocalReferenceOperation);
                return;

            default:
                AddValue(segments, operation, viaField);
                return;
        }
    }

    private static void AddValue(List<PromptSegment> segments, IOperation value, bool viaField, SyntaxNode? syntax = null, string? format = null)
    {
        var (volatility, reason) = VolatileValues.Classify(value, format);
        if (viaField && volatility != Volatility.Static)
        {
            (volatility, reason) = (Volatility.Unknown, null);
        }

        // A bare parameter (not formatted) is where a helper method's caller puts its argument.
        var parameter = format is null && volatility == Volatility.PerRequest && ValueTracer.Unwrap(value) is IParameterReferenceOperation reference ? reference.Parameter : null;
        segments.Add(new PromptSegment(volatility, null, reason, syntax ?? value.Syntax, parameter));
    }

    private static IEnumerable<IOperation> Values(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } elements })
            {
                foreach (var element in elements.ElementValues)
                {
                    yield return element;
                }
            }
            else if (argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                yield return argument.Value;
            }
        }
    }

    /// <summary>
    /// <c>Template.Replace("{answer}", answer)</c>: the template's text with the value written where its static text
    /// holds the placeholder. Text the template does not show stays as it is (what it holds is not known anyway).
    /// </summary>
    private static void AppendReplaced(List<PromptSegment> segments, IOperation template, string placeholder, IOperation value, int depth, bool viaField)
    {
        var templateText = new List<PromptSegment>();
        Append(templateText, template, depth + 1, viaField);
        List<PromptSegment>? valueText = null;
        foreach (var segment in templateText)
        {
            if (segment.Volatility != Volatility.Static || segment.Text is not { } text || text.IndexOf(placeholder, System.StringComparison.Ordinal) < 0)
            {
                segments.Add(segment);
                continue;
            }

            int start = 0;
            for (int at = text.IndexOf(placeholder, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(placeholder, start, System.StringComparison.Ordinal))
            {
                segments.Add(new PromptSegment(Volatility.Static, text.Substring(start, at - start), null, segment.Syntax));
                if (valueText is null)
                {
                    valueText = new List<PromptSegment>();
                    Append(valueText, value, depth + 1, viaField);
                }

                segments.AddRange(valueText);
                start = at + placeholder.Length;
            }

            segments.Add(new PromptSegment(Volatility.Static, text.Substring(start), null, segment.Syntax));
        }
    }

    /// <summary><c>string.Format("… {0} …", value)</c> with a constant format.</summary>
    private static bool TryAppendFormat(List<PromptSegment> segments, IInvocationOperation format, int depth, bool viaField)
    {
        var values = Values(format).ToList();
        if (values.Count == 0 || values[0].ConstantValue.Value is not string pattern)
        {
            return false;
        }

        values.RemoveAt(0);
        int last = 0;
        foreach (Match match in FormatItems.Pattern.Matches(pattern))
        {
            segments.Add(new PromptSegment(Volatility.Static, pattern.Substring(last, match.Index - last), null, format.Syntax));
            last = match.Index + match.Length;
            if (match.Value is "{{" or "}}")
            {
                segments.Add(new PromptSegment(Volatility.Static, match.Value.Substring(1), null, format.Syntax));
            }
            else if (int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < values.Count)
            {
                Append(segments, values[index], depth + 1, viaField);
            }
        }

        segments.Add(new PromptSegment(Volatility.Static, pattern.Substring(last), null, format.Syntax));
        return true;
    }

    /// <summary>
    /// <c>var sb = new StringBuilder(); sb.Append(…); sb.AppendLine(…); sb.ToString()</c> in one body, in source
    /// order. Appends inside loops repeat an unknown number of times: the text is then not known.
    /// </summary>
    private static bool TryAppendStringBuilder(List<PromptSegment> segments, ILocalReferenceOperation builder, int depth, bool viaField)
    {
        var semanticModel = builder.SemanticModel;
        if (semanticModel is null
            || builder.Local.DeclaringSyntaxReferences.Length != 1
            || builder.Local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax declarator
            || ValueTracer.EnclosingBody(declarator) is not { } body)
        {
            return false;
        }

        // Only appends, in this body and not in lambdas, and the one ToString: a builder handed to a helper, or
        // edited with Insert, Clear or AppendJoin, holds text this code does not show.
        int rendered = builder.Syntax.SpanStart;
        foreach (var reference in ValueTracer.ReferencesTo(builder.Local, body, semanticModel))
        {
            if (reference.Ancestors().TakeWhile(a => a != body).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                || !IsAppendChainOrRendering(reference))
            {
                return false;
            }
        }

        var appended = new List<PromptSegment>();
        if (declarator.Initializer?.Value is { } initializer
            && semanticModel.GetOperation(initializer) is IObjectCreationOperation { Arguments.Length: 1 } creation
            && creation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String)
        {
            Append(appended, creation.Arguments[0].Value, depth + 1, viaField);
        }

        // Ordered by the method name's position, so that sb.Append(a).Append(b) reads a, then b.
        var calls = body.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(call => (Call: call, Access: call.Expression as MemberAccessExpressionSyntax))
            .Where(c => c.Access is { Name.Identifier.ValueText: "Append" or "AppendLine" or "AppendFormat" })
            .OrderBy(c => c.Access!.Name.SpanStart);
        foreach (var (call, access) in calls)
        {
            if (access!.Name.SpanStart > rendered
                || !ReceiverIs(access.Expression, builder.Local, semanticModel)
                || semanticModel.GetOperation(call) is not IInvocationOperation append)
            {
                // Appends after ToString() build another text (a builder reused for the answer).
                continue;
            }

            if (call.Ancestors().TakeWhile(a => a != body).Any(a => a is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax))
            {
                return false;
            }

            switch (access.Name.Identifier.ValueText)
            {
                case "AppendFormat" when !TryAppendFormat(appended, append, depth + 1, viaField):
                    return false;
                case "AppendFormat":
                    break;
                default:
                    if (append.Arguments.Length > 0)
                    {
                        Append(appended, append.Arguments[0].Value, depth + 1, viaField);
                    }

                    if (access.Name.Identifier.ValueText == "AppendLine")
                    {
                        appended.Add(new PromptSegment(Volatility.Static, "\n", null, call));
                    }

                    break;
            }
        }

        segments.AddRange(appended);
        return true;
    }

    /// <summary><c>sb.Append(a).AppendLine(b)</c> or <c>sb.ToString()</c>, rooted at the builder reference.</summary>
    private static bool IsAppendChainOrRendering(IdentifierNameSyntax reference)
    {
        if (reference.Parent is VariableDeclaratorSyntax)
        {
            return true;
        }

        SyntaxNode current = reference;
        bool any = false;
        while (current.Parent is MemberAccessExpressionSyntax access && access.Expression == current && access.Parent is InvocationExpressionSyntax call)
        {
            string name = access.Name.Identifier.ValueText;
            if (name == "ToString" && !any)
            {
                return true;
            }

            if (name is not ("Append" or "AppendLine" or "AppendFormat"))
            {
                return false;
            }

            any = true;
            current = call;
        }

        return any;
    }

    /// <summary>True for <c>sb</c> and for chains rooted at it (<c>sb.Append(a).Append(b)</c>).</summary>
    private static bool ReceiverIs(ExpressionSyntax receiver, ILocalSymbol local, SemanticModel semanticModel)
    {
        while (receiver is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax inner })
        {
            receiver = inner.Expression;
        }

        return receiver is IdentifierNameSyntax identifier
            && identifier.Identifier.ValueText == local.Name
            && SymbolEqualityComparer.Default.Equals(semanticModel.GetSymbolInfo(identifier).Symbol, local);
    }

    /// <summary>Joins neighbouring static segments, so that the text around a value reads as one piece.</summary>
    private static IReadOnlyList<PromptSegment> Merge(List<PromptSegment> segments)
    {
        var merged = new List<PromptSegment>(segments.Count);
        foreach (var segment in segments)
        {
            if (segment.Volatility == Volatility.Static && merged.Count > 0 && merged[merged.Count - 1] is { Volatility: Volatility.Static } previous)
            {
                merged[merged.Count - 1] = new PromptSegment(Volatility.Static, previous.Text + segment.Text, null, previous.Syntax);
            }
            else
            {
                merged.Add(segment);
            }
        }

        return merged;
    }
}
