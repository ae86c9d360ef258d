using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using TokenLint.CodeFixes.Rules;

namespace TokenLint.Analyzers.Tests;

/// <summary>
/// The rules the packed assemblies export, found by reflection: what every file keyed by rule id (README, rule
/// pages, presets, release tracking, robustness tests) is checked against, so that a new rule cannot skip one.
/// </summary>
internal static class ExportedRules
{
    /// <summary>Every analyzer the compiler loads from TokenLint.Analyzers, by full name.</summary>
    public static ImmutableArray<Type> AnalyzerTypes { get; } = typeof(RuleIdentifiers).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToImmutableArray();

    /// <summary>Every descriptor by id. One id may have several (one message per case); they agree on the rest.</summary>
    public static ImmutableSortedDictionary<string, ImmutableArray<DiagnosticDescriptor>> DescriptorsById { get; } = AnalyzerTypes
        .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
        .GroupBy(d => d.Id)
        .ToImmutableSortedDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);

    /// <summary>The ids some exported code fix provider fixes.</summary>
    public static ImmutableHashSet<string> FixableIds { get; } = typeof(PremiumModelOnTrivialCallFixer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
        .ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>The ids that read at least one <c>.editorconfig</c> option.</summary>
    public static ImmutableHashSet<string> IdsWithOptions { get; } = RuleOptions.All.Select(o => o.RuleId).ToImmutableHashSet(StringComparer.Ordinal);

    public static DiagnosticDescriptor Descriptor(string id) => DescriptorsById[id][0];

    /// <summary>Theory data: one row per rule id, so that xunit sees each case once.</summary>
    public static TheoryData<string> Ids() => new(DescriptorsById.Keys);
}
