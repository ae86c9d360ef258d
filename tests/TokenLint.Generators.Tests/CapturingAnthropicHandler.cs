using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Generators.Tests;

/// <summary>
/// Stands in for the Anthropic API: keeps the body of every request the SDK sends and answers each with one short
/// message, so that a test can read the <c>cache_control</c> the SDK actually wrote from the generated blocks.
/// </summary>
internal sealed class CapturingAnthropicHandler : HttpMessageHandler
{
    private const string Reply = """
        {"id":"msg_test","type":"message","role":"assistant","model":"claude-sonnet-4-6",
         "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":10,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}
        """;

    public List<string> Bodies { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Reply, Encoding.UTF8, "application/json") };
    }

    /// <summary>A client whose requests this handler receives.</summary>
    public Anthropic.AnthropicClient Client() => new() { ApiKey = "not-a-key", HttpClient = new HttpClient(this), MaxRetries = 0 };
}
