using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL9102: a <c>[PromptSection(Stability.Static)]</c> member that reads the clock, a GUID or a random number each
/// time it is evaluated. The generator puts static sections in the cached prefix, so the prefix changes with the
/// value and the cache is written on every call and never read.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StaticSectionReadsVolatileValueAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.StaticSectionReadsVolatileValue,
        title: "Static prompt section reads a volatile value",
        messageFormat: "Static section '{0}' reads '{1}', which changes {2}: the cached prefix changes with it, so calls write the cache and do not read it; mark the section Volatile",
        RuleCategories.Configuration,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Static sections form the cached prefix; a value that changes on every call belongs in a volatile section, after it.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.StaticSectionReadsVolatileValue));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(PromptSections.PromptSectionAttributeName) is { } section)
            {
                start.RegisterOperationBlockAction(block => Analyze(block, section));
            }
        });
    }

    private static void Analyze(OperationBlockAnalysisContext context, INamedTypeSymbol sectionAttribute)
    {
        // The member evaluated on every render: a property's getter, a method, or an instance field's initializer
        // (a static readonly field is evaluated once per process and stays put).
        ISymbol? member = context.OwningSymbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: IPropertySymbol property } => property,
            IMethodSymbol { MethodKind: MethodKind.Ordinary } method => method,
            IFieldSymbol { IsStatic: false, IsConst: false } field => field,
            _ => null,
        };

        var attribute = member?.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sectionAttribute));
        if (attribute is null || PromptSections.Read(attribute).Stability != PromptSections.Static)
        {
            return;
        }

        var found = context.OperationBlocks
            .SelectMany(block => block.DescendantsAndSelf())
            .Where(operation => operation is IPropertyReferenceOperation or IInvocationOperation)
            .Select(operation => (Operation: operation, Value: VolatileValues.Classify(operation)))
            .Where(candidate => candidate.Value.Volatility is Volatility.PerCall or Volatility.Daily && candidate.Value.Reason is not null)
            .ToList();

        // Report the value itself (DateTime.Today), not the call that formats it (DateTime.Today.ToString("D")).
        var innermost = found.FirstOrDefault(outer => !found.Any(inner => inner.Operation != outer.Operation && outer.Operation.Syntax.Span.Contains(inner.Operation.Syntax.Span)));
        if (innermost.Operation is not null)
        {
            string how = innermost.Value.Volatility == Volatility.Daily ? "every day" : "on every call";
            context.ReportDiagnostic(Diagnostic.Create(Rule, innermost.Operation.Syntax.GetLocation(), member!.Name, innermost.Value.Reason, how));
        }
    }
}
