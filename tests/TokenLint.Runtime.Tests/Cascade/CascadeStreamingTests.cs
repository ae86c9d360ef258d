using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Cascade;

namespace TokenLint.Runtime.Tests.Cascade;

public class CascadeStreamingTests
{
    [Fact]
    public async Task Buffered_TheCallerSeesOnlyTheAcceptedAnswer_AfterItsStreamEnded()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "3 x 8 = 25");
        var strong = new ScriptedChatClient("gpt-4.1", "3 x 8 = 24");
        var strongStreamEnded = false;
        strong.Delay = _ => { strongStreamEnded = true; return Task.CompletedTask; }; // runs before the second half

        var texts = new List<string>();
        bool endedBeforeFirstUpdate = false;
        await foreach (var update in CascadeChatClientTests.Cascade(cheap, strong).GetStreamingResponseAsync("legs?"))
        {
            if (texts.Count == 0)
            {
                endedBeforeFirstUpdate = strongStreamEnded;
            }

            texts.Add(update.Text);
        }

        Assert.Equal("3 x 8 = 24", string.Concat(texts));
        Assert.True(endedBeforeFirstUpdate);
    }

    [Fact]
    public async Task Buffered_AcceptedCheapAnswer_IsStreamedWithTheCascadesRecord()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "3 x 8 = 24");
        var strong = new ScriptedChatClient("gpt-4.1", "24");

        var response = await CascadeChatClientTests.Cascade(cheap, strong).GetStreamingResponseAsync("legs?").ToChatResponseAsync();

        Assert.Equal("3 x 8 = 24", response.Text);
        Assert.Equal("gpt-4.1-mini", response.GetCascadeTier());
        Assert.Equal(120, response.Usage!.TotalTokenCount);
        Assert.Equal(0, strong.Calls);
    }

    [Fact]
    public async Task Direct_TheLastTiersUpdatesReachTheCallerBeforeItsStreamEnds_TheRejectedAnswerNever()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "3 x 8 = 25");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var strong = new ScriptedChatClient("gpt-4.1", "3 x 8 = 24") { Delay = _ => gate.Task };

        var texts = new List<string>();
        var client = CascadeChatClientTests.Cascade(cheap, strong, o => o.StreamLastTierDirectly = true);
        await foreach (var update in client.GetStreamingResponseAsync("legs?"))
        {
            texts.Add(update.Text);
            gate.TrySetResult(); // the strong tier's stream is held until the caller has its first half
        }

        Assert.Equal("3 x 8 = 24", string.Concat(texts));
        Assert.Equal("3 x 8", texts[0].Trim());
    }

    [Fact]
    public async Task Direct_StillRecordsTheAttempts()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "25");
        var strong = new ScriptedChatClient("gpt-4.1", "24");

        var response = await CascadeChatClientTests.Cascade(cheap, strong, o => o.StreamLastTierDirectly = true)
            .GetStreamingResponseAsync("legs?").ToChatResponseAsync();

        Assert.Equal("24", response.Text);
        Assert.Equal("strong", response.GetCascadeTier());
        Assert.Equal([CascadeAttemptOutcome.Rejected, CascadeAttemptOutcome.Returned], response.GetCascadeAttempts().Select(a => a.Outcome));
        Assert.Equal(["gpt-4.1-mini", "gpt-4.1"], response.GetCascadeAttempts().Select(a => a.Model));
    }

    [Fact]
    public async Task TransientErrorMidStream_Escalates()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "24") { Delay = _ => throw new System.Net.Http.HttpRequestException("connection reset") };
        var strong = new ScriptedChatClient("gpt-4.1", "24!");

        var response = await CascadeChatClientTests.Cascade(cheap, strong).GetStreamingResponseAsync("legs?").ToChatResponseAsync();

        Assert.Equal("24!", response.Text);
        Assert.Equal(CascadeAttemptOutcome.Failed, response.GetCascadeAttempts()[0].Outcome);
    }

    [Fact]
    public async Task Cancellation_StopsTheStreamingTier_AndIsNotEscalated()
    {
        using var cts = new CancellationTokenSource();
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "24") { Delay = async ct => { await cts.CancelAsync(); await Task.Delay(Timeout.Infinite, ct); } };
        var strong = new ScriptedChatClient("gpt-4.1", "24");

        await Assert.ThrowsAnyAsync<System.OperationCanceledException>(async () =>
        {
            await foreach (var _ in CascadeChatClientTests.Cascade(cheap, strong).GetStreamingResponseAsync("legs?", cancellationToken: cts.Token))
            {
            }
        });
        Assert.Equal(0, strong.Calls);
    }

    [Fact]
    public async Task Cancellation_StopsTheDirectlyStreamedLastTier()
    {
        using var cts = new CancellationTokenSource();
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "25");
        var strong = new ScriptedChatClient("gpt-4.1", "3 x 8 = 24") { Delay = ct => Task.Delay(Timeout.Infinite, ct) };
        var received = 0;

        await Assert.ThrowsAnyAsync<System.OperationCanceledException>(async () =>
        {
            await foreach (var _ in CascadeChatClientTests.Cascade(cheap, strong, o => o.StreamLastTierDirectly = true).GetStreamingResponseAsync("legs?", cancellationToken: cts.Token))
            {
                received++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, received);
    }
}
