using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace TokenLint.Generators.Tests;

/// <summary>
/// Approved-file snapshots: the generated file is compared with <c>Snapshots/NAME.verified.cs</c>. On a mismatch
/// the output is written beside it as <c>NAME.received.cs</c> and the test fails with a diff command. Setting
/// TOKENLINT_ACCEPT_SNAPSHOTS=1 accepts the output instead, except under CI, where snapshots are only compared.
/// </summary>
internal static class Snapshot
{
    internal static readonly string Folder = typeof(Snapshot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SnapshotsDirectory").Value!;

    public static void Verify(string name, string hintName, string generated)
    {
        string folder = Folder;
        string verifiedPath = Path.Combine(folder, name + ".verified.cs");
        string receivedPath = Path.Combine(folder, name + ".received.cs");
        string actual = "//HintName: " + hintName + "\n" + generated.Replace("\r\n", "\n");
        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (verified == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        bool accept = Environment.GetEnvironmentVariable("TOKENLINT_ACCEPT_SNAPSHOTS") == "1" && Environment.GetEnvironmentVariable("CI") is null;
        if (accept)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, actual);
        Assert.Fail(verified is null
            ? $"No approved snapshot {verifiedPath}. Review {receivedPath}; accept with TOKENLINT_ACCEPT_SNAPSHOTS=1."
            : $"The generated code differs from {verifiedPath}. Compare: diff {verifiedPath} {receivedPath}; accept with TOKENLINT_ACCEPT_SNAPSHOTS=1.");
    }
}
