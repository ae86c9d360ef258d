using System.CodeDom.Compiler;
using System.Globalization;
using System.Linq;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Generators;

/// <summary>Writes the builder's Microsoft.Extensions.AI adapters: <c>ToChatMessages()</c>, and <c>GetTools()</c> with <c>ToChatOptions()</c> for static tool lists.</summary>
internal static class MicrosoftExtensionsAIEmitter
{
    private static readonly string[] GroupNames = PromptSections.StabilityNames;

    public static void WriteToChatMessages(IndentedTextWriter writer, CachedPromptType type, string modifier, bool anthropicBreakpoints)
    {
        const string Ttl = "global::Anthropic.Models.Messages.Ttl";
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// The prompt as one system message for Microsoft.Extensions.AI, one text part per stability (static,");
        writer.WriteLine("/// session, volatile, blank ones left out), so that the cached prefix comes first and stays identical.");
        if (anthropicBreakpoints && type.StaticPrefixMayBeCached)
        {
            writer.WriteLine($"/// The static part ({(type.StaticCacheOneHour ? "1 hour" : "5 minutes")}) and the session part (5 minutes) carry Anthropic cache breakpoints");
            writer.WriteLine("/// (<c>WithCacheControl</c>), which the Anthropic SDK's <c>IChatClient</c> sends as <c>cache_control</c>.");
        }
        else if (anthropicBreakpoints)
        {
            writer.WriteLine("/// The session part carries an Anthropic cache breakpoint (5 minutes, <c>WithCacheControl</c>), which the Anthropic");
            writer.WriteLine("/// SDK's <c>IChatClient</c> sends as <c>cache_control</c>; the static part none: it is below the model's minimum");
            writer.WriteLine("/// cacheable length even counted 25% higher (TL2003 reports it).");
        }

        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public {modifier}global::System.Collections.Generic.IList<global::Microsoft.Extensions.AI.ChatMessage> ToChatMessages()");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine("var contents = new global::System.Collections.Generic.List<global::Microsoft.Extensions.AI.AIContent>();");
        if (anthropicBreakpoints)
        {
            writer.WriteLine($"AddPromptPart(contents, RenderStatic(), {(type.StaticPrefixMayBeCached ? $"{Ttl}.{(type.StaticCacheOneHour ? "Ttl1h" : "Ttl5m")}" : "null")});");
            writer.WriteLine($"AddPromptPart(contents, RenderSession(), {Ttl}.Ttl5m);");
            writer.WriteLine("AddPromptPart(contents, RenderVolatile(), null);");
        }
        else
        {
            foreach (string group in GroupNames)
            {
                writer.WriteLine($"AddPromptPart(contents, Render{group}());");
            }
        }

        writer.WriteLine("return new global::System.Collections.Generic.List<global::Microsoft.Extensions.AI.ChatMessage>");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine("new global::Microsoft.Extensions.AI.ChatMessage(global::Microsoft.Extensions.AI.ChatRole.System, contents),");
        writer.Indent--;
        writer.WriteLine("};");
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
        string ttlParameter = anthropicBreakpoints ? $", {Ttl}? cacheTtl" : "";
        writer.WriteLine($"private static void AddPromptPart(global::System.Collections.Generic.List<global::Microsoft.Extensions.AI.AIContent> contents, string text{ttlParameter})");
        writer.WriteLine("{");
        writer.Indent++;
        // The Anthropic API rejects a text block that is only white space.
        writer.WriteLine("if (!string.IsNullOrWhiteSpace(text))");
        writer.WriteLine("{");
        writer.Indent++;
        if (anthropicBreakpoints)
        {
            writer.WriteLine("var content = new global::Microsoft.Extensions.AI.TextContent(text);");
            writer.WriteLine("contents.Add(cacheTtl is { } ttl ? global::Microsoft.Extensions.AI.AIContentCacheExtensions.WithCacheControl(content, ttl) : content);");
        }
        else
        {
            writer.WriteLine("contents.Add(new global::Microsoft.Extensions.AI.TextContent(text));");
        }

        writer.Indent--;
        writer.WriteLine("}");
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
    }

    public static void WriteTools(IndentedTextWriter writer, CachedPromptType type, string modifier, bool nullableSyntax)
    {
        const string Tool = "global::Microsoft.Extensions.AI.AITool";
        string nullable = nullableSyntax ? "?" : "";
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// The tools of the static tool sections, sorted by name (ordinal; tools with equal names keep their order):");
        writer.WriteLine("/// the provider caches the tool list before the system prompt, so it must not depend on the order they were built in.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public {modifier}global::System.Collections.Generic.IList<{Tool}> GetTools()");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine($"var tools = new global::System.Collections.Generic.List<{Tool}>();");
        foreach (var section in type.Sections.Where(s => s.Kind == PromptSectionKind.Tools))
        {
            writer.WriteLine($"AddPromptTools(tools, {CachedPromptEmitter.Read(type, section)});");
        }

        writer.WriteLine("return global::System.Linq.Enumerable.ToList(global::System.Linq.Enumerable.OrderBy(tools, tool => tool.Name, global::System.StringComparer.Ordinal));");
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
        writer.WriteLine("/// <summary>Chat options carrying <see cref=\"GetTools\"/>: send them with <see cref=\"ToChatMessages\"/>.</summary>");
        writer.WriteLine($"public {modifier}global::Microsoft.Extensions.AI.ChatOptions ToChatOptions()");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine("return new global::Microsoft.Extensions.AI.ChatOptions { Tools = GetTools() };");
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
        writer.WriteLine($"private static void AddPromptTools(global::System.Collections.Generic.List<{Tool}> tools, global::System.Collections.Generic.IEnumerable<{Tool}{nullable}>{nullable} section)");
        writer.WriteLine("{");
        writer.Indent++;
        BuilderHelpersEmitter.WriteGuard(writer, "section == null", "return;");
        writer.WriteLine("foreach (var tool in section)");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine("if (tool != null)");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine("tools.Add(tool);");
        writer.Indent--;
        writer.WriteLine("}");
        writer.Indent--;
        writer.WriteLine("}");
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
    }
}
