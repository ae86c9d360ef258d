using System.Collections.Generic;
using System.Text;

namespace TokenLint.Analysis.CallSites;

/// <summary>
/// The blocks of a prompt template in Semantic Kernel's own format, split as the kernel splits it: text, and
/// <c>{{…}}</c> blocks holding a variable (<c>{{$name}}</c>, spaces around it allowed), a quoted value
/// (<c>{{'text'}}</c>, with <c>\'</c>, <c>\"</c> and <c>\\</c> escapes) or a function call. A <c>{{</c> inside a
/// block starts the block again; <c>}}</c> inside a quoted value does not end it; an empty block is text.
/// </summary>
internal static class KernelTemplate
{
    public enum BlockKind
    {
        /// <summary>Text sent as written.</summary>
        Text,

        /// <summary><c>{{$name}}</c>: the argument of that name (names ignore case).</summary>
        Variable,

        /// <summary><c>{{'text'}}</c>: the quoted text.</summary>
        Value,

        /// <summary><c>{{plugin.function …}}</c>: what the function returns.</summary>
        FunctionCall,
    }

    public readonly struct Block
    {
        public Block(BlockKind kind, string text)
        {
            Kind = kind;
            Text = text;
        }

        public BlockKind Kind { get; }

        /// <summary>The text, the variable's name, the value, or the call as written.</summary>
        public string Text { get; }
    }

    /// <summary>The template's blocks, or null when the kernel would reject the template (a variable with an invalid
    /// name or followed by more tokens, an unterminated value).</summary>
    public static List<Block>? Parse(string template)
    {
        var blocks = new List<Block>();
        int textStart = 0;
        int blockStart = -1;
        char quote = '\0';
        for (int i = 0; i + 1 < template.Length; i++)
        {
            char current = template[i];
            char next = template[i + 1];
            if (quote != '\0')
            {
                if (current == '\\' && IsEscapable(next))
                {
                    i++;
                }
                else if (current == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            if (current == '{' && next == '{')
            {
                blockStart = i;
                continue;
            }

            if (blockStart < 0)
            {
                continue;
            }

            if (current is '\'' or '"')
            {
                quote = current;
            }
            else if (current == '}' && next == '}')
            {
                AddText(blocks, template.Substring(textStart, blockStart - textStart));
                string raw = template.Substring(blockStart, i + 2 - blockStart);
                string code = raw.Substring(2, raw.Length - 4).Trim();
                if (code.Length == 0)
                {
                    AddText(blocks, raw);
                }
                else if (CodeBlock(code) is { } block)
                {
                    blocks.Add(block);
                }
                else
                {
                    return null;
                }

                textStart = i + 2;
                blockStart = -1;
                i++;
            }
        }

        AddText(blocks, template.Substring(textStart));
        return blocks;
    }

    private static Block? CodeBlock(string code)
    {
        switch (code[0])
        {
            case '$':
                string name = code.Substring(1);
                return IsValidName(name) ? new Block(BlockKind.Variable, name) : null;
            case '\'' or '"':
                return QuotedValue(code) is { } value ? new Block(BlockKind.Value, value) : null;
            default:
                return new Block(BlockKind.FunctionCall, code);
        }
    }

    /// <summary>The unescaped text of a block that is one quoted value and nothing else.</summary>
    private static string? QuotedValue(string code)
    {
        char delimiter = code[0];
        var value = new StringBuilder();
        for (int i = 1; i < code.Length; i++)
        {
            if (code[i] == '\\' && i + 1 < code.Length && IsEscapable(code[i + 1]))
            {
                value.Append(code[++i]);
            }
            else if (code[i] == delimiter)
            {
                return i == code.Length - 1 ? value.ToString() : null;
            }
            else
            {
                value.Append(code[i]);
            }
        }

        return null;
    }

    private static bool IsValidName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEscapable(char c) => c is '\'' or '"' or '\\';

    private static void AddText(List<Block> blocks, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (blocks.Count > 0 && blocks[blocks.Count - 1].Kind == BlockKind.Text)
        {
            blocks[blocks.Count - 1] = new Block(BlockKind.Text, blocks[blocks.Count - 1].Text + text);
        }
        else
        {
            blocks.Add(new Block(BlockKind.Text, text));
        }
    }
}
