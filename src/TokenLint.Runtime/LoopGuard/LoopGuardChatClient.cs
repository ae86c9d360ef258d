using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenLint.Runtime.Diagnostics;

namespace TokenLint.Runtime;

/// <summary>
/// Stops a runaway loop at run time: when the same request (see <see cref="RequestFingerprint"/>) is sent
/// <see cref="LoopGuardOptions.MaxIdenticalRequests"/> times within <see cref="LoopGuardOptions.Window"/>, that call
/// fails with <see cref="RequestLoopDetectedException"/> instead of being sent, and the trip is counted in metrics.
/// This catches the retry and agent loops the analyzers could not see in the code.
/// </summary>
public sealed class LoopGuardChatClient : DelegatingChatClient
{
    private static readonly Action<ILogger, string, int, Exception?> s_tripped = LoggerMessage.Define<string, int>(
        LogLevel.Warning, new EventId(10, "LoopGuardTripped"),
        "TokenLint's loop guard stopped request {Fingerprint}: sent {Count} times within the window. A retry or agent loop is repeating an identical call.");

    private readonly LoopGuardOptions _options;
    private readonly TokenLintMetrics _metrics;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<UInt128, Queue<long>> _recent = new();
    private long _nextSweep;

    public LoopGuardChatClient(IChatClient innerClient, LoopGuardOptions options, TokenLintMetrics? metrics = null, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _metrics = metrics ?? TokenLintMetrics.Shared;
        _logger = logger ?? NullLogger.Instance;
    }

    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(messages, options);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Check(messages, options);
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private void Check(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var scope = TokenScope.Current;
        var fingerprint = RequestFingerprint.Compute(messages, options, scope);
        long now = _options.TimeProvider.GetTimestamp();
        long window = (long)(_options.Window.TotalSeconds * _options.TimeProvider.TimestampFrequency);
        int count;
        lock (_gate)
        {
            if (now >= _nextSweep)
            {
                Sweep(now - window);
                _nextSweep = now + window;
            }

            if (!_recent.TryGetValue(fingerprint, out var times))
            {
                times = new Queue<long>();
                _recent[fingerprint] = times;
            }

            while (times.Count > 0 && times.Peek() <= now - window)
            {
                times.Dequeue();
            }

            count = times.Count + 1;
            if (count < _options.MaxIdenticalRequests)
            {
                times.Enqueue(now);
                return;
            }
        }

        _metrics.RecordLoopTrip(scope?.InnermostAgent);
        string hex = RequestFingerprint.ToHex(fingerprint);
        s_tripped(_logger, hex, count, null);
        throw new RequestLoopDetectedException(hex, count, _options.Window, scope);
    }

    /// <summary>Drops requests older than the window, so a long-running service does not keep every request it ever saw.</summary>
    private void Sweep(long oldest)
    {
        List<UInt128>? empty = null;
        foreach (var (fingerprint, times) in _recent)
        {
            while (times.Count > 0 && times.Peek() <= oldest)
            {
                times.Dequeue();
            }

            if (times.Count == 0)
            {
                (empty ??= new()).Add(fingerprint);
            }
        }

        if (empty is not null)
        {
            foreach (var fingerprint in empty)
            {
                _recent.Remove(fingerprint);
            }
        }
    }
}
