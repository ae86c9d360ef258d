using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace TokenLint.Postgres.Tests;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of the test server, so a test can take "the database" away and bring it back
/// while the server itself keeps running for the other tests: <see cref="Cut"/> closes every relayed connection and
/// refuses new ones, <see cref="Restore"/> accepts again on the same port.
/// </summary>
internal sealed class OutageProxy : IAsyncDisposable
{
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly object _gate = new();
    private readonly List<TcpClient> _open = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;

    public OutageProxy(string connectionString)
    {
        var upstream = new NpgsqlConnectionStringBuilder(connectionString);
        _upstreamHost = upstream.Host!;
        _upstreamPort = upstream.Port;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Host = "127.0.0.1",
            Port = Port,
            Timeout = 3,
            // A pooled connection the relay cut is found broken on use: the next write opens a fresh one.
            Pooling = true,
        }.ConnectionString;
        Restore();
    }

    public int Port { get; }

    /// <summary>The test server's connection string, through the relay.</summary>
    public string ConnectionString { get; }

    public void Cut()
    {
        lock (_gate)
        {
            _accepting?.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _accepting = new CancellationTokenSource();
            _ = AcceptAsync(_listener, _accepting.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(_upstreamHost, _upstreamPort, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (_gate)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    client.Dispose();
                    upstream.Dispose();
                    return;
                }

                _open.Add(client);
                _open.Add(upstream);
            }

            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is System.IO.IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // Cut: the other direction ends too.
        }

        from.Dispose();
        to.Dispose();
    }
}
