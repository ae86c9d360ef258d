using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Cascade;

namespace TokenLint.Runtime.Tests.Cascade;

public class CascadeChatClientTests
{
    internal static readonly AcceptanceCheck Says24 = AcceptanceCheck.TextValidator(text => text.Contains("24", StringComparison.Ordinal) ? null : "the answer is not 24", "says_24");

    internal static IChatClient Cascade(ScriptedChatClient cheap, ScriptedChatClient strong, Action<CascadeOptions>? configure = null) =>
        new ChatClientBuilder(cheap)
            .UseCascade(o =>
            {
                o.Acceptance = AcceptanceCheck.All(AcceptanceCheck.FinishedNormally(), Says24);
                o.EmitMetrics = false;
                configure?.Invoke(o);
            }, new CascadeTier(strong, "strong"))
            .Build();

    [Fact]
    public async Task AcceptedCheapAnswer_IsReturned_AndTheStrongTierIsNeverAsked()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "3 x 8 = 24");
        var strong = new ScriptedChatClient("gpt-4.1", "24");

        var response = await Cascade(cheap, strong).GetResponseAsync("How many legs do 3 spiders have?");

        Assert.Equal("3 x 8 = 24", response.Text);
        Assert.Equal(0, strong.Calls);
        Assert.Equal("gpt-4.1-mini", response.GetCascadeTier());
        var attempt = Assert.Single(response.GetCascadeAttempts());
        Assert.Equal((0, "gpt-4.1-mini", CascadeAttemptOutcome.Accepted, null), (attempt.TierIndex, attempt.Model, attempt.Outcome, attempt.Reason));
        Assert.Empty(response.GetCascadeRejections());
        Assert.Equal(120, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task RejectedCheapAnswer_EscalatesWithTheOriginalRequest_AndTheReasonTravelsWithTheResponse()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "3 x 8 = 25");
        var strong = new ScriptedChatClient("gpt-4.1", "3 x 8 = 24") { Usage = new() { InputTokenCount = 100, OutputTokenCount = 50, TotalTokenCount = 150 } };

        var response = await Cascade(cheap, strong).GetResponseAsync("How many legs do 3 spiders have?");

        Assert.Equal("3 x 8 = 24", response.Text);
        Assert.Equal("strong", response.GetCascadeTier());
        Assert.Equal(150, response.Usage!.TotalTokenCount); // the answering call's usage; the rejected one is in the attempts
        Assert.Equal(["gpt-4.1-mini: the answer is not 24"], response.GetCascadeRejections());
        var attempts = response.GetCascadeAttempts();
        Assert.Equal([CascadeAttemptOutcome.Rejected, CascadeAttemptOutcome.Returned], attempts.Select(a => a.Outcome));
        Assert.Equal(["gpt-4.1-mini", "gpt-4.1"], attempts.Select(a => a.Model));
        Assert.Equal("says_24", attempts[0].RejectedBy);
        Assert.Equal([120L, 150L], attempts.Select(a => a.Usage!.TotalTokenCount!.Value));
        var (messages, _) = Assert.Single(strong.Requests);
        Assert.Equal("How many legs do 3 spiders have?", Assert.Single(messages).Text);
    }

    [Fact]
    public async Task RejectedAnswerAsContext_IsOffByDefault_AndShowsTheAnswerAndReasonWhenOn()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "3 x 8 = 25");
        var strong = new ScriptedChatClient("gpt-4.1", "24");

        await Cascade(cheap, strong, o => o.IncludeRejectedAnswer = true).GetResponseAsync("How many legs do 3 spiders have?");

        var (messages, _) = Assert.Single(strong.Requests);
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User], messages.Select(m => m.Role));
        Assert.Equal("3 x 8 = 25", messages[1].Text);
        Assert.Contains("the answer is not 24", messages[2].Text);
    }

    [Fact]
    public async Task TheLastTiersAnswer_IsReturnedAsIs_WithoutChecks()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "25");
        var strong = new ScriptedChatClient("gpt-4.1", "I'm sorry, but I can't count legs.");

        var response = await Cascade(cheap, strong).GetResponseAsync("legs?");

        Assert.Equal("I'm sorry, but I can't count legs.", response.Text);
        Assert.Equal(CascadeAttemptOutcome.Returned, response.GetCascadeAttempts()[^1].Outcome);
    }

    public static TheoryData<Exception> TransientErrors() => new()
    {
        new HttpRequestException("rate limited", null, HttpStatusCode.TooManyRequests),
        new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway),
        new HttpRequestException("service unavailable", null, HttpStatusCode.ServiceUnavailable),
        new HttpRequestException("connection refused"),
        new TimeoutException("no answer in 100 s"),
        new TaskCanceledException("HttpClient.Timeout of 100 seconds elapsing"),
        new InvalidOperationException("SDK wrapper", new HttpRequestException("overloaded", null, (HttpStatusCode)529)),
    };

    [Theory]
    [MemberData(nameof(TransientErrors))]
    public async Task TransientProviderError_Escalates_AndIsRecordedAsAFailedAttempt(Exception error)
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini") { Failure = error };
        var strong = new ScriptedChatClient("gpt-4.1", "24");

        var response = await Cascade(cheap, strong).GetResponseAsync("legs?");

        Assert.Equal("24", response.Text);
        var failed = response.GetCascadeAttempts()[0];
        Assert.Equal((CascadeAttemptOutcome.Failed, "error"), (failed.Outcome, failed.RejectedBy));
        Assert.Null(failed.Usage);
        Assert.Contains(error.GetType().Name, failed.Reason);
    }

    [Fact]
    public async Task PermanentErrors_AndTransientOnesWithEscalationOff_AreThrown()
    {
        var badRequest = new HttpRequestException("bad request", null, HttpStatusCode.BadRequest);
        var cheap = new ScriptedChatClient("gpt-4.1-mini") { Failure = badRequest };
        var strong = new ScriptedChatClient("gpt-4.1", "24");

        Assert.Same(badRequest, await Assert.ThrowsAsync<HttpRequestException>(() => Cascade(cheap, strong).GetResponseAsync("legs?")));
        Assert.IsType<ArgumentException>(await Assert.ThrowsAnyAsync<Exception>(() =>
            Cascade(new ScriptedChatClient("m") { Failure = new ArgumentException("schema") }, strong).GetResponseAsync("legs?")));
        cheap.Failure = new HttpRequestException("unavailable", null, HttpStatusCode.ServiceUnavailable);
        await Assert.ThrowsAsync<HttpRequestException>(() => Cascade(cheap, strong, o => o.EscalateOnTransientErrors = false).GetResponseAsync("legs?"));
        await Assert.ThrowsAsync<HttpRequestException>(() => Cascade(cheap, strong, o => o.IsTransientError = _ => false).GetResponseAsync("legs?"));
        Assert.Equal(0, strong.Calls);
    }

    [Fact]
    public async Task ErrorOfTheLastTier_IsThrown()
    {
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "25");
        var strong = new ScriptedChatClient("gpt-4.1") { Failure = new HttpRequestException("down", null, HttpStatusCode.ServiceUnavailable) };

        await Assert.ThrowsAsync<HttpRequestException>(() => Cascade(cheap, strong).GetResponseAsync("legs?"));
    }

    [Fact]
    public async Task BudgetRefusalOnTheCheapTier_IsNotEscalated()
    {
        var cheapProvider = new ScriptedChatClient("gpt-4.1-mini", "24");
        var strong = new ScriptedChatClient("gpt-4.1", "24");
        var cheap = new ChatClientBuilder(cheapProvider).UseTokenBudget(new TokenBudget().Limit(BudgetScope.Total, maxTokens: 10)).Build();
        var cascade = new CascadeChatClient([new CascadeTier(cheap, "cheap"), new CascadeTier(strong, "strong")], new CascadeOptions { EmitMetrics = false });

        await Assert.ThrowsAsync<TokenBudgetExceededException>(() => cascade.GetResponseAsync("How many legs do 3 spiders have? Count carefully, please."));
        Assert.Equal(0, cheapProvider.Calls);
        Assert.Equal(0, strong.Calls);
    }

    [Fact]
    public async Task LoopGuardTripOnTheCheapTier_IsNotEscalated_EvenIfTheUserCallsEverythingTransient()
    {
        var cheap = new ChatClientBuilder(new ScriptedChatClient("gpt-4.1-mini", "24")).UseLoopGuard(o => o.MaxIdenticalRequests = 2).Build();
        var strong = new ScriptedChatClient("gpt-4.1", "24");
        var cascade = new CascadeChatClient([new CascadeTier(cheap, "cheap"), new CascadeTier(strong, "strong")], new CascadeOptions { EmitMetrics = false, IsTransientError = _ => true });

        await cascade.GetResponseAsync("legs?");
        await Assert.ThrowsAsync<RequestLoopDetectedException>(() => cascade.GetResponseAsync("legs?"));
        Assert.Equal(0, strong.Calls);
    }

    [Fact]
    public async Task CallersCancellation_StopsTheCheapTier_AndIsNotEscalated()
    {
        using var cts = new CancellationTokenSource();
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "24") { Delay = async ct => { await cts.CancelAsync(); await Task.Delay(Timeout.Infinite, ct); } };
        var strong = new ScriptedChatClient("gpt-4.1", "24");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Cascade(cheap, strong).GetResponseAsync("legs?", cancellationToken: cts.Token));
        Assert.Equal(0, strong.Calls);
    }

    [Fact]
    public async Task CallersCancellation_StopsTheStrongTierToo()
    {
        using var cts = new CancellationTokenSource();
        var cheap = new ScriptedChatClient("gpt-4.1-mini", "25");
        var strong = new ScriptedChatClient("gpt-4.1", "24") { Delay = async ct => { await cts.CancelAsync(); await Task.Delay(Timeout.Infinite, ct); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Cascade(cheap, strong).GetResponseAsync("legs?", cancellationToken: cts.Token));
        Assert.Equal(1, strong.Calls);
    }

    [Fact]
    public async Task AResponseObjectATierHandsOutTwice_CarriesNeitherRequestsAttempts()
    {
        var shared = new ChatResponse(new ChatMessage(ChatRole.Assistant, "24")) { FinishReason = ChatFinishReason.Stop };
        var cached = new ChatClientBuilder(new ScriptedChatClient("gpt-4.1-mini")).Use((_, _, _, _) => Task.FromResult(shared), null).Build();
        var cascade = new CascadeChatClient([new CascadeTier(cached, "cheap"), new CascadeTier(new ScriptedChatClient("gpt-4.1"), "strong")], new CascadeOptions { EmitMetrics = false });

        var first = await cascade.GetResponseAsync("legs?");
        var second = await cascade.GetResponseAsync("legs?");

        Assert.NotSame(first.GetCascadeAttempts(), second.GetCascadeAttempts());
        Assert.Null(shared.AdditionalProperties);
        Assert.Equal("24", second.Text);
    }

    [Fact]
    public void Construction_NeedsTwoTiers()
    {
        var only = new ScriptedChatClient("gpt-4.1-mini");
        Assert.Throws<ArgumentException>(() => new CascadeChatClient([new CascadeTier(only)]));
        Assert.Throws<ArgumentException>(() => new ChatClientBuilder(only).UseCascade(null, Array.Empty<IChatClient>()));
        var cascade = new CascadeChatClient([new CascadeTier(only), new CascadeTier(new ScriptedChatClient("gpt-4.1"))]);
        Assert.Equal(["gpt-4.1-mini", "gpt-4.1"], cascade.Tiers.Select(t => t.Name));
        Assert.Same(cascade, cascade.GetService<CascadeChatClient>());
        var anonymous = new Fakes.FakeChatClient(defaultModel: null); // no name, no default model id
        Assert.Equal(["tier0", "strong"], new CascadeChatClient([new CascadeTier(anonymous), new CascadeTier(only, "strong")]).Tiers.Select(t => t.Name));
    }
}
