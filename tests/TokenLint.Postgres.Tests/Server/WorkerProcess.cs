using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace TokenLint.Postgres.Tests;

/// <summary>A TokenLint.Postgres.TestWorker process: another member of the fleet, with its own connections.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public static WorkerProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TokenLint.Postgres.TestWorker.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The connection string goes through the environment: a command line is readable by every user of the machine.
        start.Environment[PostgresTestServer.Variable] = PostgresTestServer.ConnectionString;
        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    public Task<string?> ReadLineAsync() => _process.StandardOutput.ReadLineAsync();

    /// <summary>Waits for the worker to end and returns its output; fails when it failed.</summary>
    public async Task<string> OutputAsync()
    {
        var output = _process.StandardOutput.ReadToEndAsync();
        var error = _process.StandardError.ReadToEndAsync();
        await _process.WaitForExitAsync();
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The worker failed (exit {_process.ExitCode}): {await error}");
        }

        return await output;
    }

    /// <summary>SIGKILL on Linux: no finally block, no dispose, no settle runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
