using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TokenLint.Analysis.CallSites;
using TokenLint.Analysis.Prompts;
using TokenLint.Analysis.Tokens;

namespace TokenLint.Analyzers.Rules;

/// <summary>
/// TL4002: a prompt literal padded with whitespace that carries no meaning (source indentation carried into a
/// verbatim string, trailing spaces, runs of blank lines) making up a large share of its tokens. Every call pays
/// for the padding.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WhitespacePaddingAnalyzer : ModelRuleAnalyzer
{
    /// <summary>Shorter prompts cost too little to be worth a warning.</summary>
    private const int MinimumBytes = 200;

    /// <summary>Fewer indented lines than this cost a token or two: the share decides alone.</summary>
    private const int MinimumIndentedLines = 3;

    private static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.WhitespacePadding,
        title: "Whitespace padding in a prompt",
        messageFormat: "Whitespace padding (shared indentation, trailing spaces, extra blank lines) is {0} of this prompt's {1} tokens ({2}%); trim it",
        RuleCategories.ContextSize,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Indentation and blank lines in a prompt are tokens too: every call pays for them.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.WhitespacePadding));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    protected override void StartModelChecks(CompilationStartAnalysisContext start, ModelCallSiteCatalog callSites)
    {
        var reported = new ConcurrentDictionary<Location, bool>();
        start.RegisterOperationAction(operation => Analyze(operation, callSites, reported), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, ModelCallSiteCatalog callSites, ConcurrentDictionary<Location, bool> reported)
    {
        if (!callSites.TryGetCallSite((IInvocationOperation)context.Operation, out var callSite))
        {
            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Operation.Syntax.SyntaxTree);
        long maxPercent = RuleOptions.MaxWhitespaceShare.GetWholeNumber(options);
        long minSharedIndent = RuleOptions.MinSharedIndent.GetWholeNumber(options);
        foreach (var part in callSite.PromptParts.Where(p => !p.IsOpaque))
        {
            if (Literal(part.Text) is not { } literal
                || literal.Token.Value is not string text
                || Encoding.UTF8.GetByteCount(text) < MinimumBytes)
            {
                continue;
            }

            string normalized = WhitespaceNormalizer.Normalize(text);
            if (normalized.Length == text.Length)
            {
                continue;
            }

            var encoding = TokenCounter.EncodingFor(callSite.Model?.Id);
            var tokens = TokenCounter.Count(text, encoding);
            if (tokens.IsEstimate)
            {
                // A character estimate counts every space: it would overstate padding. Quiet without the tokenizer.
                return;
            }

            int waste = tokens.Value - TokenCounter.Count(normalized, encoding).Value;
            if (tokens.Value == 0 || waste <= 0 || (waste * 100L <= maxPercent * tokens.Value && !CarriesSourceIndentation(text, minSharedIndent)))
            {
                continue;
            }

            var location = literal.GetLocation();
            if (reported.TryAdd(location, true))
            {
                string percent = (waste * 100.0 / tokens.Value).ToString("0", CultureInfo.InvariantCulture);
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, waste.ToString("N0", CultureInfo.InvariantCulture), tokens.ToString(), percent));
            }
        }
    }

    /// <summary>
    /// Every line indented as deep as code: the indentation of the source carried into the string. o200k encodes a
    /// run of spaces as one token, so its share of a prose prompt stays small, but it is paid on every line for
    /// nothing and the fix is free.
    /// </summary>
    private static bool CarriesSourceIndentation(string text, long minSharedIndent)
    {
        if (minSharedIndent == 0)
        {
            return false;
        }

        var (columns, lines) = WhitespaceNormalizer.SharedIndentation(text);
        return columns >= minSharedIndent && lines >= MinimumIndentedLines;
    }

    /// <summary>The string literal the text is written in: at the call, or in a const or local of this tree.</summary>
    private static LiteralExpressionSyntax? Literal(IOperation text)
    {
        var operation = ValueTracer.Unwrap(text);
        for (int depth = 0; depth < ValueTracer.MaxDepth; depth++)
        {
            switch (operation)
            {
                case ILiteralOperation { Syntax: LiteralExpressionSyntax literal }:
                    return literal;
                case IFieldReferenceOperation { Field: { IsConst: true } field }
                    when field.DeclaringSyntaxReferences.Length == 1
                        && field.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax constant }
                        && constant.SyntaxTree == operation.Syntax.SyntaxTree:
                    return constant;
            }

            if (!ValueTracer.TryGetSingleValue(operation, out var value, out _))
            {
                return null;
            }

            operation = ValueTracer.Unwrap(value);
        }

        return null;
    }
}
