using System.CodeDom.Compiler;
using System.Globalization;
using System.Linq;
using TokenLint.Analysis.Prompts;

namespace TokenLint.Generators;

/// <summary>Writes the builder's Anthropic adapter, <c>ToAnthropicSystem()</c>: system blocks with <c>cache_control</c> on the static and session blocks.</summary>
internal static class AnthropicSystemEmitter
{
    public static void WriteToAnthropicSystem(IndentedTextWriter writer, CachedPromptType type, string modifier)
    {
        const string Block = "global::Anthropic.Models.Messages.TextBlockParam";
        const string CacheControl = "global::Anthropic.Models.Messages.CacheControlEphemeral";
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// The prompt as Anthropic system blocks: static, session, volatile (blank ones left out).");
        if (type.StaticPrefixMayBeCached)
        {
            string staticTtl = type.StaticCacheOneHour ? "1 hour" : "5 minutes";
            writer.WriteLine($"/// Cache breakpoints close the static block ({staticTtl}) and the session block (5 minutes), so each call");
            writer.WriteLine("/// reads the longest cached prefix; the volatile block is never cached.");
        }
        else
        {
            // The session breakpoint covers static + session, whose length is known only at run time: it stays.
            writer.WriteLine("/// A cache breakpoint closes the session block (5 minutes), none the static block: the static prefix");
            writer.WriteLine($"/// ({type.StaticPrefixTokenCount.ToString(CultureInfo.InvariantCulture)} tokens) is below the model's minimum cacheable length even counted 25% higher, so a");
            writer.WriteLine("/// breakpoint there would cache nothing (TL2003 reports it). The volatile block is never cached.");
        }

        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public {modifier}global::System.Collections.Generic.List<{Block}> ToAnthropicSystem()");
        writer.WriteLine("{");
        writer.Indent++;
        writer.WriteLine($"var blocks = new global::System.Collections.Generic.List<{Block}>();");
        // A longer TTL may only come before a shorter one: 1 hour (or 5 minutes) on static, then 5 minutes on session.
        string fiveMinutes = $"new {CacheControl}()";
        string staticBreakpoint = type.StaticCacheOneHour ? $"new {CacheControl} {{ Ttl = global::Anthropic.Models.Messages.Ttl.Ttl1h }}" : fiveMinutes;
        writer.WriteLine($"AddAnthropicBlock(blocks, RenderStatic(), {(type.StaticPrefixMayBeCached ? staticBreakpoint : "null")});");
        writer.WriteLine($"AddAnthropicBlock(blocks, RenderSession(), {fiveMinutes});");
        writer.WriteLine("AddAnthropicBlock(blocks, RenderVolatile(), null);");
        writer.WriteLine("return blocks;");
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
        writer.WriteLine($"private static void AddAnthropicBlock(global::System.Collections.Generic.List<{Block}> blocks, string text, {CacheControl}? cacheControl)");
        writer.WriteLine("{");
        writer.Indent++;
        // The API rejects a text block that is only white space (with a breakpoint or not).
        BuilderHelpersEmitter.WriteGuard(writer, "string.IsNullOrWhiteSpace(text)", "return;");
        writer.WriteLine("blocks.Add(cacheControl is null");
        writer.Indent++;
        writer.WriteLine($"? new {Block}(text)");
        writer.WriteLine($": new {Block}(text) {{ CacheControl = cacheControl }});");
        writer.Indent--;
        writer.Indent--;
        writer.WriteLine("}");
        writer.WriteLineNoTabs(string.Empty);
    }

    /// <summary>The static tool lists, sorted by name, and chat options that carry them.</summary>
}
