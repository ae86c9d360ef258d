using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Catalog;
using static TokenLint.Analysis.CallSites.SdkSymbols;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// Prompt functions: <c>kernel.InvokePromptAsync(template, arguments)</c>, and a function created with
/// <c>kernel.CreateFunctionFromPrompt(template, settings)</c> or <c>KernelFunctionFactory.CreateFromPrompt</c> sent by
/// <c>kernel.InvokeAsync(function, arguments)</c> or <c>function.InvokeAsync(kernel, arguments)</c> (streaming too),
/// traced through locals and fields. A creation whose function no such call sends is a request definition. The
/// prompt is the template rendered with the arguments the code shows; the settings of the arguments come before
/// the function's, as the kernel's service selector reads them.
/// </summary>
internal sealed partial class SemanticKernelSdk
{
    private static readonly string[] SendingMethods = { "InvokeAsync", "InvokeStreamingAsync" };

    public override ModelCallSite? RecognizeDefinition(IInvocationOperation invocation, IMethodSymbol definition, CallSiteReader reader) =>
        IsPromptFunctionCreation(definition) && !IsSentVisibly(invocation)
            ? PromptSite(invocation, false, invocation, arguments: null, reader.ReceiverOrigin(invocation), reader)
            : null;

    /// <summary><c>kernel.InvokeAsync(function, …)</c> or <c>function.InvokeAsync(kernel, …)</c> on a function created from a prompt.</summary>
    private ModelCallSite? FunctionInvocation(IInvocationOperation invocation, IOperation? function, IOperation? kernel, bool streaming, CallSiteReader reader) =>
        PromptFunctionCreation(function) is { } creation
            ? PromptSite(invocation, streaming, creation, Argument(invocation, "arguments"), kernel is null ? null : reader.Origins.Trace(kernel), reader)
            : null;

    /// <summary>A prompt call: <paramref name="template"/> is the call that holds the template and the function's own settings.</summary>
    private ModelCallSite PromptSite(IInvocationOperation invocation, bool streaming, IInvocationOperation template, IOperation? arguments, ClientOrigin? origin, CallSiteReader reader)
    {
        var values = KernelArgumentValues.Trace(arguments, _kernelArguments);
        bool argumentsUnread = values?.HasUnreadContent(_promptExecutionSettings) == true;
        var settingsExpression = argumentsUnread ? null : values?.Settings(_promptExecutionSettings) ?? Argument(template, "executionSettings");
        var settings = settingsExpression is null ? null : TraceSettings(settingsExpression);

        // Arguments from elsewhere may carry settings (tool choices) and values; another template format or factory
        // renders the text differently; settings the code does not show may hold anything.
        bool customFormat = Argument(template, "templateFormat") is { } format && !IsNullConstant(format) && format.ConstantValue.Value as string != "semantic-kernel"
            || Argument(template, "promptTemplateFactory") is { } factory && !IsNullConstant(factory)
            || Argument(template, "promptTemplateConfig") is { } config && !IsNullConstant(config);
        bool unseen = customFormat
            || (arguments is not null && !IsNullConstant(arguments) && values is null)
            || argumentsUnread
            || HidesContent(settingsExpression, settings, ToolChoiceSettings);

        var parts = new List<PromptPart>();
        IOperation? conversation = null;
        if (Argument(template, "promptTemplate") is { } text)
        {
            string? constant = PromptPartCollector.ConstantText(text);
            if (!customFormat && constant is not null && constant.Contains("{{"))
            {
                // A template the kernel rejects throws before anything is sent: nothing to read.
                parts.Add(KernelTemplate.Parse(constant) is { } blocks ? TemplatePart(text, blocks, values, ref unseen, out conversation) : PromptPart.Opaque(text));
                unseen |= parts[0].IsOpaque;
            }
            else
            {
                PromptPartCollector.AddText(parts, PromptRole.User, text);
                unseen |= constant is null;
            }

            // <message role="system"> tags make the rendered prompt a conversation whose roles the parts do not show.
            unseen |= constant?.IndexOf("<message", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        var maxTokens = CallSiteReader.Setting(settings?.Get("MaxTokens")) ?? CallSiteReader.Setting(ExtensionData(settings, "max_tokens"));
        bool varied = RequestSampling.VariesAnswers(settings, "Temperature")
            || ExtensionData(settings, "temperature") is { } temperature && ValueTracer.Unwrap(temperature).ConstantValue is not { HasValue: true, Value: 0 or 0.0 or 0f or 0m };
        return new ModelCallSite(
            invocation, LlmSdk.SemanticKernel, streaming, Model(origin, settingsExpression, settings, reader), maxTokens, structuredOutputType: null, parts,
            conversation: conversation,
            requestsVariedAnswers: varied,
            carriesUnseenContent: unseen);
    }

    /// <summary>The template rendered with the arguments: a variable the code gives no value is filled in per request.</summary>
    private static PromptPart TemplatePart(IOperation template, List<KernelTemplate.Block> blocks, KernelArgumentValues? arguments, ref bool unseen, out IOperation? conversation)
    {
        conversation = null;
        var syntax = TemplateSyntax(template);
        var pieces = new List<TemplatePiece>(blocks.Count);
        var constant = new StringBuilder();
        bool isConstant = true;
        foreach (var block in blocks)
        {
            switch (block.Kind)
            {
                case KernelTemplate.BlockKind.Text or KernelTemplate.BlockKind.Value:
                    pieces.Add(TemplatePiece.FromText(block.Text, syntax));
                    constant.Append(block.Text);
                    break;
                case KernelTemplate.BlockKind.Variable when arguments?.ValueOf(block.Text) is { } value:
                    pieces.Add(TemplatePiece.FromValue(value));
                    if (PromptPartCollector.ConstantText(value) is { } text)
                    {
                        constant.Append(text);
                    }
                    else
                    {
                        isConstant = false;
                    }

                    conversation ??= IsAppendedTo(value) ? value : RenderedHistory.Source(value);
                    break;
                case KernelTemplate.BlockKind.Variable:
                    pieces.Add(TemplatePiece.PerRequest($"template variable '{block.Text}'", syntax));
                    isConstant = false;
                    unseen = true;
                    break;
                default:
                    // {{plugin.function}}: text the function returns, maybe after calling a model itself.
                    pieces.Add(TemplatePiece.Unknown(syntax));
                    isConstant = false;
                    unseen = true;
                    break;
            }
        }

        return new PromptPart(PromptRole.User, template, isConstant ? constant.ToString() : null, templatePieces: pieces);
    }

    /// <summary>The model the kernel's service serves. The settings' <c>ModelId</c> only picks the kernel's service
    /// registered with that id, so it counts only when the kernel's registration does not show a model, and no fix
    /// rewrites it (another id selects another service, or the default one).</summary>
    private static ModelReference? Model(ClientOrigin? origin, IOperation? settingsExpression, ObjectSettings? settings, CallSiteReader reader)
    {
        var provider = origin?.Provider ?? ModelProvider.Unknown;
        if (origin?.ModelExpression is { } served)
        {
            return MaySelectAnotherService(served, settingsExpression, settings)
                ? null
                : reader.ModelFrom(served, origin, provider, shared: origin.IsShared);
        }

        return settings?.Get("ModelId") is { } modelId
            ? reader.ResolveModel(modelId, provider, origin?.Service ?? ServiceKind.Unknown, shared: true)
            : null;
    }

    /// <summary>
    /// The kernel's selector sends a prompt to its last registered service unless the settings name a service: a
    /// <c>ServiceId</c> picks the service registered under that id, a <c>ModelId</c> the one serving that model (the
    /// last one when none does). So a kernel with one service serves every call it sends, and a kernel built with
    /// several (<c>.AddOpenAIChatCompletion("gpt-4o-mini", key, serviceId: "mini").AddOpenAIChatCompletion("gpt-4", …)</c>)
    /// may serve another model than the registration traced: when a registration follows it, when the settings name
    /// another id than its own, or when the code does not show the settings.
    /// </summary>
    private static bool MaySelectAnotherService(IOperation served, IOperation? settingsExpression, ObjectSettings? settings)
    {
        // The traced model is the modelId argument of AddOpenAIChatCompletion(…) (or of a connector's constructor: one service).
        if (served.Parent?.Parent is not IInvocationOperation registration)
        {
            return false;
        }

        if (IsFollowedByRegistration(registration))
        {
            return true;
        }

        if (settingsExpression is null || IsNullConstant(settingsExpression) || !IsPrecededByRegistration(registration))
        {
            return false;
        }

        if (settings is null)
        {
            return true;
        }

        // PromptExecutionSettings.DefaultServiceId ("default") names no service.
        if (settings.Get("ServiceId") is { } serviceId && !IsNullConstant(serviceId)
            && ValueTracer.Unwrap(serviceId) is not IPropertyReferenceOperation { Property.Name: "DefaultServiceId" })
        {
            var named = PromptPartCollector.ConstantText(serviceId);
            if (named is null || !string.Equals(named, "default", StringComparison.OrdinalIgnoreCase))
            {
                var registered = Argument(registration, "serviceId") is { } id && !IsNullConstant(id) ? PromptPartCollector.ConstantText(id) : null;
                return named is null || !string.Equals(named, registered, StringComparison.Ordinal);
            }
        }

        if (settings.Get("ModelId") is { } modelId && !IsNullConstant(modelId))
        {
            var named = PromptPartCollector.ConstantText(modelId);
            return named is null || !string.Equals(named, PromptPartCollector.ConstantText(served), StringComparison.Ordinal);
        }

        return false;
    }

    /// <summary><c>Kernel.CreateBuilder().AddOpenAIChatCompletion(…).AddOpenAIChatCompletion(…)</c>: another chat
    /// service registered on the builder before this one, in the same chain.</summary>
    private static bool IsPrecededByRegistration(IInvocationOperation registration)
    {
        var receiver = Receiver(registration);
        for (int depth = 0; depth < ValueTracer.MaxDepth && receiver is IInvocationOperation previous; depth++)
        {
            if (IsChatServiceRegistration(previous))
            {
                return true;
            }

            receiver = Receiver(previous);
        }

        return false;
    }

    /// <summary><c>builder.AddOpenAIChatCompletion(…).AddOpenAIChatCompletion(…)</c>: another chat service registered
    /// after this one, in the same chain; the last one serves by default.</summary>
    private static bool IsFollowedByRegistration(IInvocationOperation registration)
    {
        IOperation current = registration;
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            var parent = current.Parent;
            while (parent is IConversionOperation or IArgumentOperation)
            {
                parent = parent.Parent;
            }

            if (parent is not IInvocationOperation next || !ReferenceEquals(Receiver(next), current))
            {
                return false;
            }

            if (IsChatServiceRegistration(next))
            {
                return true;
            }

            current = next;
        }

        return false;
    }

    private static bool IsChatServiceRegistration(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name.StartsWith("Add", StringComparison.Ordinal)
        && invocation.TargetMethod.Name.EndsWith("ChatCompletion", StringComparison.Ordinal);

    /// <summary>The builder a call is made on: the instance, or an extension method's first argument.</summary>
    private static IOperation? Receiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return ValueTracer.Unwrap(instance);
        }

        if (invocation.TargetMethod.IsExtensionMethod)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    return ValueTracer.Unwrap(argument.Value);
                }
            }
        }

        return null;
    }

    /// <summary>Settings created in the code as one <c>PromptExecutionSettings</c> (or a connector's subclass); null otherwise.</summary>
    private ObjectSettings? TraceSettings(IOperation expression) =>
        ObjectSettings.Trace(expression) is { } settings && settings.Creation.Type is INamedTypeSymbol type && InheritsFrom(type, _promptExecutionSettings)
            ? settings
            : null;

    /// <summary><c>ExtensionData = new Dictionary&lt;string, object&gt; { ["max_tokens"] = 5 }</c> (or <c>{ "max_tokens", 5 }</c>).</summary>
    private static IOperation? ExtensionData(ObjectSettings? settings, string key)
    {
        if (settings?.Get("ExtensionData") is not { } data)
        {
            return null;
        }

        var operation = ValueTracer.Unwrap(data);
        if (operation is ILocalReferenceOperation && ValueTracer.TryGetSingleValue(operation, out var value, out _))
        {
            operation = ValueTracer.Unwrap(value);
        }

        var initializers = operation switch
        {
            IObjectCreationOperation { Initializer: { } initializer } => initializer.Initializers,
            IObjectOrCollectionInitializerOperation initializer => initializer.Initializers,
            _ => default,
        };
        foreach (var initializer in initializers.IsDefault ? Enumerable.Empty<IOperation>() : initializers)
        {
            switch (initializer)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer } assignment
                    when indexer.Arguments[0].Value.ConstantValue.Value as string == key:
                    return assignment.Value;
                case IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 2 } add when add.Arguments[0].Value.ConstantValue.Value as string == key:
                    return add.Arguments[1].Value;
            }
        }

        return null;
    }

    /// <summary>The call that created the function, through locals, fields and get-only properties.</summary>
    private IInvocationOperation? PromptFunctionCreation(IOperation? function)
    {
        if (function is null)
        {
            return null;
        }

        var operation = ValueTracer.Unwrap(function);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            if (operation is IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                return IsPromptFunctionCreation(method.ReducedFrom ?? method.OriginalDefinition) ? invocation : null;
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var value, out _))
            {
                return null;
            }

            operation = ValueTracer.Unwrap(value);
        }

        return null;
    }

    /// <summary><c>CreateFunctionFromPrompt</c> and <c>KernelFunctionFactory.CreateFromPrompt</c> with template text
    /// (not a <c>PromptTemplateConfig</c> or a template object).</summary>
    private bool IsPromptFunctionCreation(IMethodSymbol method) =>
        (method.Name == "CreateFunctionFromPrompt" && Is(method.ContainingType, _kernelExtensions)
            || method.Name == "CreateFromPrompt" && Is(method.ContainingType, _kernelFunctionFactory))
        && method.Parameters.Any(p => p.Name == "promptTemplate" && p.Type.SpecialType == SpecialType.System_String);

    /// <summary>
    /// True when the created function is sent by a call the catalog reads (its argument or receiver, directly or
    /// through the local, field or property it is stored in), or may be: a type declared in several files.
    /// </summary>
    private static bool IsSentVisibly(IInvocationOperation creation)
    {
        if (IsSentBy(OutermostExpression(creation.Syntax)))
        {
            return true;
        }

        var parent = creation.Parent is IConversionOperation conversion ? conversion.Parent : creation.Parent;
        ISymbol? holder = parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            IFieldInitializerOperation { InitializedFields.Length: 1 } field => field.InitializedFields[0],
            IPropertyInitializerOperation { InitializedProperties.Length: 1 } property => property.InitializedProperties[0],
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } => local.Local,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } => field.Field,
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } => property.Property,
            _ => null,
        };
        var semanticModel = creation.SemanticModel;
        if (holder is null || semanticModel is null)
        {
            return false;
        }

        IEnumerable<SyntaxNode> scopes;
        if (holder is ILocalSymbol)
        {
            scopes = holder.DeclaringSyntaxReferences.Select(r => ValueTracer.EnclosingBody(r.GetSyntax())).OfType<SyntaxNode>();
        }
        else
        {
            var parts = holder.ContainingType.DeclaringSyntaxReferences;
            if (parts.Any(p => p.SyntaxTree != semanticModel.SyntaxTree))
            {
                return true;
            }

            scopes = parts.Select(p => p.GetSyntax());
        }

        return scopes.Any(scope => ValueTracer.ReferencesTo(holder, scope, semanticModel).Any(identifier => IsSentBy(OutermostExpression(identifier))));
    }

    /// <summary><c>this.field</c> for <c>field</c>, and the call around nothing else.</summary>
    private static SyntaxNode OutermostExpression(SyntaxNode expression) =>
        expression.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } self && self.Name == expression ? self : expression;

    /// <summary>An argument of, or the receiver of, a call named <c>InvokeAsync</c> or <c>InvokeStreamingAsync</c>.</summary>
    private static bool IsSentBy(SyntaxNode expression)
    {
        if (expression.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } })
        {
            return SendingMethods.Contains(MethodName(call.Expression));
        }

        return expression.Parent is MemberAccessExpressionSyntax access
            && access.Expression == expression
            && access.Parent is InvocationExpressionSyntax
            && SendingMethods.Contains(access.Name.Identifier.ValueText);
    }

    private static string? MethodName(ExpressionSyntax callee) => callee switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The literal a template is written as (through constants, locals and fields), where a rule can point.</summary>
    private static SyntaxNode TemplateSyntax(IOperation template)
    {
        var operation = ValueTracer.Unwrap(template);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            ISymbol? constant = operation switch
            {
                IFieldReferenceOperation { Field: { IsConst: true } field } => field,
                ILocalReferenceOperation { Local: { IsConst: true } local } => local,
                _ => null,
            };
            if (constant is not null)
            {
                return constant.DeclaringSyntaxReferences.Length == 1
                    && constant.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value }
                    ? value
                    : operation.Syntax;
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var next, out _))
            {
                return operation.Syntax;
            }

            operation = ValueTracer.Unwrap(next);
        }

        return operation.Syntax;
    }

    /// <summary><c>history += …</c> in the body of the local a template variable reads: a transcript that grows.</summary>
    private static bool IsAppendedTo(IOperation value)
    {
        if (ValueTracer.Unwrap(value) is not ILocalReferenceOperation { Local: { } local } reference
            || reference.SemanticModel is not { } semanticModel
            || local.DeclaringSyntaxReferences.Length != 1
            || ValueTracer.EnclosingBody(local.DeclaringSyntaxReferences[0].GetSyntax()) is not { } body)
        {
            return false;
        }

        return ValueTracer.ReferencesTo(local, body, semanticModel)
            .Any(identifier => identifier.Parent is AssignmentExpressionSyntax assignment && assignment.Left == identifier && assignment.IsKind(SyntaxKind.AddAssignmentExpression));
    }
}
