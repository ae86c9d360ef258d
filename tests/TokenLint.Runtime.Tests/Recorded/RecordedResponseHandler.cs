using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime.Tests.Recorded;

/// <summary>
/// A fake HTTP transport for the provider SDKs: every request is answered with the same recorded
/// response body (HTTP 200), read from the test output's <c>Recorded/</c> folder. Files ending in
/// <c>.sse</c> are served as <c>text/event-stream</c>, everything else as <c>application/json</c>.
/// Each request's method, address and body are kept, so a test can check what the SDK asked for.
/// </summary>
internal sealed class RecordedResponseHandler : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = [];

    public RecordedResponseHandler(string recordedFile)
    {
        FilePath = Path.IsPathRooted(recordedFile)
            ? recordedFile
            : Path.Combine(AppContext.BaseDirectory, "Recorded", recordedFile);
        if (!File.Exists(FilePath))
        {
            throw new FileNotFoundException($"No recorded response at '{FilePath}'.", FilePath);
        }

        ContentType = FilePath.EndsWith(".sse", StringComparison.OrdinalIgnoreCase)
            ? "text/event-stream"
            : "application/json";
    }

    /// <summary>The full path of the recorded body served for every request.</summary>
    public string FilePath { get; }

    /// <summary>The content type the recorded body is served with.</summary>
    public string ContentType { get; }

    /// <summary>Every request seen so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The last request seen, or <see langword="null"/> before the first one.</summary>
    public RecordedRequest? LastRequest
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count == 0 ? null : _requests[^1];
            }
        }
    }

    /// <summary>The body of the last request seen (the JSON the SDK sent), if any.</summary>
    public string? LastRequestBody => LastRequest?.Body;

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        string? body = request.Content is null
            ? null
            : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri, body));
        }

        byte[] recorded = await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false);
        ByteArrayContent content = new(recorded);
        content.Headers.ContentType = new MediaTypeHeaderValue(ContentType) { CharSet = "utf-8" };
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = content,
            RequestMessage = request,
        };
    }
}

/// <summary>One request an SDK sent through a <see cref="RecordedResponseHandler"/>.</summary>
internal sealed record RecordedRequest(string Method, Uri? Uri, string? Body);
