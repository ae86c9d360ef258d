using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// Histories that other types can reach (a chat session's public <c>Messages</c>): whether any code of the compilation
/// can cap one, read once per member over every file.
/// </summary>
internal sealed partial class HistoryLimits
{
    /// <summary>Calls on a list that return some of its messages and leave the list as it is.</summary>
    private static readonly string[] ReadsSome = { "Take", "TakeLast", "Skip", "SkipLast", "TakeWhile", "SkipWhile", "Where", "GetRange", "Chunk" };

    private readonly ConcurrentDictionary<ISymbol, bool> _cappedAnywhere = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when code the rule cannot read can reach the member (another assembly: a public member of a library, an
    /// internal one with <c>InternalsVisibleTo</c>), when its type mentions a chat reducer, or when a use of it can cap
    /// it: in its own type, as for a private member; elsewhere, a call that removes or trims, a new value, a copy of the
    /// reference, or a method it is handed to. Reading, enumerating, counting and adding to it cap nothing.
    /// </summary>
    public bool IsCappedAnywhere(ISymbol member, Compilation compilation) =>
        _cappedAnywhere.GetOrAdd(member, m => ComputeCappedAnywhere(m, compilation));

    private bool ComputeCappedAnywhere(ISymbol member, Compilation compilation)
    {
        var type = member.ContainingType;
        if (type is null || type.DeclaringSyntaxReferences.IsEmpty || !IsVisibleOnlyTo(member, compilation)
            || type.DeclaringSyntaxReferences.Any(r => MentionsAReducer(r.GetSyntax())))
        {
            return true;
        }

        foreach (var (identifier, model) in ReferencesInCompilation(member, compilation))
        {
            SyntaxNode node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
            if (model.GetOperation(node) is not { } reference)
            {
                return true;
            }

            bool inItsType = identifier.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault() is { } declaration
                && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declaration), type);
            if (inItsType ? Limits(reference, IsInitialization(identifier), aliasLimits: true) : CapsFromOutside(reference))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A method that hands out a history entry (a conversation store's <c>GetOrCreate(id)</c>) and that other types call:
    /// capped when another assembly can call it, when it can be overridden, or when any call of it in the compilation
    /// keeps what it returns where it can be capped (or is not a plain call: a method group, a delegate).
    /// </summary>
    private bool CallersLimit(IMethodSymbol helper, Compilation compilation, int depth)
    {
        if (helper.IsVirtual || helper.IsAbstract || helper.IsOverride || !IsVisibleOnlyTo(helper, compilation))
        {
            return true;
        }

        foreach (var (identifier, model) in ReferencesInCompilation(helper, compilation))
        {
            SyntaxNode node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access.Parent! : identifier.Parent!;
            if (model.GetOperation(node) is not IInvocationOperation call || FetchedValueLimits(call, model, depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every identifier in the compilation that names the symbol (or, for a method, an interface member it implements),
    /// with its file's semantic model; files that do not spell the name are neither walked nor bound.
    /// </summary>
    private static System.Collections.Generic.IEnumerable<(IdentifierNameSyntax Identifier, SemanticModel Model)> ReferencesInCompilation(ISymbol symbol, Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            // A file whose text does not hold the name has no reference to it: its tokens are not walked.
            if (tree.TryGetText(out var text) && text.ToString().IndexOf(symbol.Name, StringComparison.Ordinal) < 0)
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var token in tree.GetRoot().DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != symbol.Name || token.Parent is not IdentifierNameSyntax identifier)
                {
                    continue;
                }

                model ??= ModelOf(tree, compilation);
                var named = model.GetSymbolInfo(identifier).Symbol?.OriginalDefinition;
                if (SymbolEqualityComparer.Default.Equals(named, symbol.OriginalDefinition)
                    || named is { ContainingType.TypeKind: TypeKind.Interface }
                        && SymbolEqualityComparer.Default.Equals(symbol.ContainingType.FindImplementationForInterfaceMember(named), symbol))
                {
                    yield return (identifier, model);
                }
            }
        }
    }

    /// <summary>
    /// The semantic model of another file of the compilation. RS1030: the driver shares semantic models through the
    /// compilation's provider; only files that hold a history sent whole, or name one, are bound this way.
    /// </summary>
    private static SemanticModel ModelOf(SyntaxTree tree, Compilation compilation)
    {
#pragma warning disable RS1030
        return compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
    }

    /// <summary>
    /// A session kept in a member of the sending type lives as long as the sending object: not across requests when that
    /// object is made per request, or when the session's type is registered per request (scoped or transient).
    /// </summary>
    public bool IsHeldPerRequest(ISymbol holder, ITypeSymbol sessionType) => IsPerRequest(holder) || IsRegisteredPerRequest(sessionType);

    /// <summary>True when only this compilation can use the member: internal with no friend assembly, or public in an application.</summary>
    private static bool IsVisibleOnlyTo(ISymbol member, Compilation compilation)
    {
        bool isInternal = false;
        for (ISymbol? current = member; current is not null and not INamespaceSymbol; current = current.ContainingType)
        {
            isInternal |= current.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal;
        }

        return isInternal
            ? !compilation.Assembly.GetAttributes().Any(a => a.AttributeClass?.Name == "InternalsVisibleToAttribute")
            : compilation.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication or OutputKind.WindowsRuntimeApplication;
    }

    /// <summary>A use of the history outside its type that can remove messages from it, or lets other code do so.</summary>
    private bool CapsFromOutside(IOperation reference)
    {
        var use = reference;
        var parent = use.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            use = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IInvocationOperation call when call.Instance == use:
                return IsLimiting(call.TargetMethod.Name) && Array.IndexOf(ReadsSome, call.TargetMethod.Name) < 0;
            case IArgumentOperation { Parent: IInvocationOperation call } argument:
                if (_callSites.TryGetCallSite(call, out _))
                {
                    return false;
                }

                // chatState.Messages.Where(…) or .AddMessages(response) in the page that shows them: read or grown.
                return !(call.TargetMethod.IsExtensionMethod && call.Arguments[0] == argument
                    && (call.TargetMethod.ContainingType.Name is "Enumerable" or "Queryable" || call.TargetMethod.Name.StartsWith("Add", StringComparison.Ordinal)));
            case IArgumentOperation { Parent: IObjectCreationOperation }:
            case ISpreadOperation:
            case IForEachLoopOperation:
            case IIsPatternOperation or IBinaryOperation:
            case IPropertyReferenceOperation:
            case IArrayElementReferenceOperation:
                return false;
            case IExpressionStatementOperation:
                return false;
            default:
                return true;
        }
    }
}
