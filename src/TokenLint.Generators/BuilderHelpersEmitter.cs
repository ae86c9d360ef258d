using System.CodeDom.Compiler;
using System.Globalization;
using System.Linq;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Generators;

/// <summary>Writes the private helpers a builder's generated methods call (joining sections, lines and few-shot pairs), and their guards.</summary>
internal static class BuilderHelpersEmitter
{
    /// <summary>Writes <c>if (condition) { statement }</c> and a blank line: a guard at the top of a generated method.</summary>
    public static void WriteGuard(IndentedTextWriter writer, string condition, string statement)
    {
        writer.WriteLine($"if ({condition})");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine(statement);
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
    }

    public static void WriteHelpers(IndentedTextWriter writer, CachedPromptType type, bool nullableSyntax)
    {
        string nullable = nullableSyntax ? "?" : "";
        if (type.Sections.Any(s => s.Kind == PromptSectionKind.Lines))
        {
            writer.WriteLine("/// <summary>A list section's text: its items in their order, one a line.</summary>");
            writer.WriteLine($"private static string JoinPromptLines(global::System.Collections.Generic.IEnumerable<string{nullable}>{nullable} lines)");
            writer.WriteLine("{");
            writer.Indent++;
            writer.WriteLine("return lines == null ? string.Empty : string.Join(\"\\n\", lines);");
            writer.Indent--;
            writer.WriteLine("}");
            writer.WriteLineNoTabs(string.Empty);
        }

        if (type.Sections.Any(s => s.Kind == PromptSectionKind.Pairs))
        {
            writer.WriteLine("/// <summary>A few-shot section's text: each pair as \"Input: \" and its input, a line break, \"Output: \" and its output; pairs separated by a blank line, in their order.</summary>");
            writer.WriteLine($"private static string FormatPromptPairs<__TPair>(global::System.Collections.Generic.IEnumerable<__TPair>{nullable} pairs, global::System.Func<__TPair, string{nullable}> input, global::System.Func<__TPair, string{nullable}> output)");
            writer.WriteLine("{");
            writer.Indent++;
            WriteGuard(writer, "pairs == null", "return string.Empty;");
            writer.WriteLine("var builder = new global::System.Text.StringBuilder();");
            writer.WriteLine("foreach (var pair in pairs)");
            writer.WriteLine("{");
            writer.Indent++;
            writer.WriteLine("if (builder.Length > 0)");
            writer.WriteLine("{");
            writer.Indent++;
            writer.WriteLine("builder.Append(\"\\n\\n\");");
            writer.Indent--;
            writer.WriteLine("}");
            writer.WriteLineNoTabs(string.Empty);
            writer.WriteLine("builder.Append(\"Input: \").Append(input(pair)).Append(\"\\nOutput: \").Append(output(pair));");
            writer.Indent--;
            writer.WriteLine("}");
            writer.WriteLineNoTabs(string.Empty);
            writer.WriteLine("return builder.ToString();");
            writer.Indent--;
            writer.WriteLine("}");
            writer.WriteLineNoTabs(string.Empty);
        }

        if (type.Sections.Any(s => s.IsImmutableArray))
        {
            writer.WriteLine("/// <summary>An immutable array section's items; none when it is default (uninitialised), which cannot be enumerated.</summary>");
            writer.WriteLine("private static global::System.Collections.Generic.IEnumerable<__TItem> PromptItemsOrEmpty<__TItem>(global::System.Collections.Immutable.ImmutableArray<__TItem> items)");
            writer.WriteLine("{");
            writer.Indent++;
            writer.WriteLine("return items.IsDefault ? global::System.Collections.Immutable.ImmutableArray<__TItem>.Empty : items;");
            writer.Indent--;
            writer.WriteLine("}");
            writer.WriteLineNoTabs(string.Empty);
        }

        writer.WriteLine($"private static void AppendPromptSection(global::System.Text.StringBuilder builder, string{(nullableSyntax ? "?" : "")} text)");
        writer.WriteLine("{");
        writer.Indent++;
        WriteGuard(writer, "string.IsNullOrEmpty(text)", "return;");
        writer.WriteLine("if (builder.Length > 0)");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine($"builder.Append(\"{CachedPromptGenerator.SectionSeparator.Replace("\n", "\\n")}\");");
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
        writer.WriteLine("builder.Append(text);");
        writer.Indent--;
        writer.WriteLine("}");
    }
}
