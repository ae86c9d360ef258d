using System;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace TokenLint.Cli.Usage;

/// <summary>
/// The 128-bit identity of a logged call, from the ids that name it (Claude Code: message id and request id; a
/// TokenLint ledger: its source, model and response id), so that a call logged twice is counted once with 16 bytes
/// of memory per call.
/// </summary>
internal static class CallKey
{
    public static UInt128 Of(string first, string second, string third = "")
    {
        var hash = new XxHash128();
        foreach (string part in new[] { first, second, third })
        {
            hash.Append(MemoryMarshal.AsBytes(part.AsSpan()));
            hash.Append([0, 0]);
        }

        return hash.GetCurrentHashAsUInt128();
    }
}
