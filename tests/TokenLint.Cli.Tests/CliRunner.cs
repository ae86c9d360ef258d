using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;

namespace TokenLint.Cli.Tests;

/// <summary>Runs the tokenlint command line in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static string Fixture(params string[] parts) => Path.Combine(AppContext.BaseDirectory, Path.Combine(["Fixtures", .. parts]));

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = TokenLintCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    public static JsonElement Json(params string[] args)
    {
        var (exit, output, error) = Run([.. args, "--json"]);
        Assert.True(exit == 0, $"exit {exit}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>A fresh folder under the test's temp folder, deleted by the caller's using.</summary>
    public static TempFolder TempFolder() => new();
}

internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tokenlint-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string text)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
