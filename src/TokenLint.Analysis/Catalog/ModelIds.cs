using System;

namespace TokenLint.Analysis.Catalog;

/// <summary>
/// How model ids are spelt: wire ids versus SDK member names, and the date or <c>-latest</c> suffix providers append.
/// Dependency-free on purpose: the runtime library compiles this same file, so a dated id finds the same catalog
/// entry at build time and at run time.
/// </summary>
internal static class ModelIds
{
    /// <summary>True for names sent to an API (<c>gpt-4o</c>), false for SDK member names (<c>ClaudeOpus4_6</c>).</summary>
    public static bool IsWireName(string name) => name.IndexOf('_') < 0 && !(name.Length > 0 && char.IsUpper(name[0]));

    /// <summary><c>gpt-4o-2024-08-06</c> → <c>gpt-4o</c>; <c>claude-3-7-sonnet-latest</c> → <c>claude-3-7-sonnet</c>.</summary>
    public static string? StripVersionSuffix(string name)
    {
        const string Latest = "-latest";
        if (name.EndsWith(Latest, StringComparison.Ordinal))
        {
            return name.Substring(0, name.Length - Latest.Length);
        }

        // -yyyy-MM-dd (OpenAI) or -yyyyMMdd (Anthropic)
        if (name.Length > 11 && IsDateSuffix(name, name.Length - 10, dashed: true) && name[name.Length - 11] == '-')
        {
            return name.Substring(0, name.Length - 11);
        }

        if (name.Length > 9 && IsDateSuffix(name, name.Length - 8, dashed: false) && name[name.Length - 9] == '-')
        {
            return name.Substring(0, name.Length - 9);
        }

        return null;
    }

    private static bool IsDateSuffix(string name, int start, bool dashed)
    {
        for (int i = start; i < name.Length; i++)
        {
            int k = i - start;
            bool dash = dashed && (k == 4 || k == 7);
            if (dash ? name[i] != '-' : !char.IsDigit(name[i]))
            {
                return false;
            }
        }

        return name[start] == '2';
    }
}
