using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using TokenLint.Runtime.Cascade;

namespace TokenLint.Runtime.Tests.Cascade;

public class AcceptanceCheckTests
{
    private static readonly ChatMessage[] s_question = [new(ChatRole.User, "How many legs do 3 spiders have?")];

    private static AcceptanceContext Context(string answer, ChatFinishReason? finish = null, IChatClient? tier = null, ChatOptions? options = null) =>
        new(s_question, options, new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { FinishReason = finish ?? ChatFinishReason.Stop },
            new CascadeTier(tier ?? new ScriptedChatClient("gpt-4.1-mini"), "cheap"));

    private static AcceptanceVerdict Evaluate(AcceptanceCheck check, AcceptanceContext context) =>
        check.EvaluateAsync(context, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void FinishedNormally_AcceptsAStoppedAnswer_AndOneWithoutAFinishReason()
    {
        Assert.True(Evaluate(AcceptanceCheck.FinishedNormally(), Context("24")).Accepted);
        var noReason = new AcceptanceContext(s_question, null, new ChatResponse(new ChatMessage(ChatRole.Assistant, "24")), new CascadeTier(new ScriptedChatClient("m"), "cheap"));
        Assert.True(Evaluate(AcceptanceCheck.FinishedNormally(), noReason).Accepted);
    }

    [Theory]
    [InlineData("length", "24 and the", "finish reason 'length'")]
    [InlineData("content_filter", "24", "finish reason 'content_filter'")]
    [InlineData("stop", "   ", "no text")]
    [InlineData("stop", "I'm sorry, but I can't help with that.", "refusal")]
    [InlineData("stop", "  as an AI language model I cannot count", "refusal")]
    public void FinishedNormally_RejectsCutEmptyAndRefusedAnswers_SayingWhy(string finish, string answer, string reason)
    {
        var verdict = Evaluate(AcceptanceCheck.FinishedNormally(), Context(answer, new ChatFinishReason(finish)));

        Assert.False(verdict.Accepted);
        Assert.Equal("finished_normally", verdict.Check);
        Assert.Contains(reason, verdict.Reason);
    }

    [Fact]
    public void FinishedNormally_RefusalWordsInsideAnAnswer_AreNotARefusal()
    {
        Assert.True(Evaluate(AcceptanceCheck.FinishedNormally(), Context("Spiders have 8 legs; I'm unable to see why not: 3 x 8 = 24.")).Accepted);
        Assert.False(Evaluate(AcceptanceCheck.FinishedNormally(["Nope"]), Context("Nope, not doing that")).Accepted);
        Assert.True(Evaluate(AcceptanceCheck.FinishedNormally(["Nope"]), Context("I'm sorry, but I can't")).Accepted);
    }

    private sealed record Legs(int Count, string Animal);

    [Fact]
    public void StructuredOutput_AcceptsTheTypesJson_AndRejectsWhatDoesNotParse()
    {
        var check = AcceptanceCheck.StructuredOutput<Legs>();

        Assert.True(Evaluate(check, Context("""{"count": 24, "animal": "spider"}""")).Accepted);
        var notJson = Evaluate(check, Context("Three spiders have 24 legs."));
        Assert.False(notJson.Accepted);
        Assert.Equal("structured_output", notJson.Check);
        Assert.Contains("not a Legs in JSON", notJson.Reason);
        Assert.False(Evaluate(check, Context("""{"count": "many", "animal": "spider"}""")).Accepted);
        Assert.False(Evaluate(check, Context("null")).Accepted);
    }

    [Fact]
    public void StructuredOutput_ReadsTheDataWrapperOfNonObjectTypes_AndAppliesThePredicate()
    {
        Assert.True(Evaluate(AcceptanceCheck.StructuredOutput<int>(), Context("""{"data": 24}""")).Accepted);
        Assert.True(Evaluate(AcceptanceCheck.StructuredOutput<int>(), Context("24")).Accepted);
        Assert.False(Evaluate(AcceptanceCheck.StructuredOutput<int>(), Context("""{"data": "24 legs"}""")).Accepted);

        var positive = AcceptanceCheck.StructuredOutput<Legs>(legs => legs.Count > 0);
        Assert.True(Evaluate(positive, Context("""{"count": 24, "animal": "spider"}""")).Accepted);
        var verdict = Evaluate(positive, Context("""{"count": 0, "animal": "spider"}"""));
        Assert.False(verdict.Accepted);
        Assert.Contains("predicate", verdict.Reason);
    }

    [Fact]
    public async Task Validator_SyncAndAsync_SeeTheRequestAndTheAnswer()
    {
        AcceptanceContext? seen = null;
        var sync = AcceptanceCheck.Validator(context =>
        {
            seen = context;
            return context.Response.Text.Contains("24", StringComparison.Ordinal) ? null : "no 24";
        });
        var asyncCheck = AcceptanceCheck.Validator(async (context, ct) =>
        {
            await Task.Yield();
            return context.Messages[0].Text.Contains("spiders", StringComparison.Ordinal) && context.Response.Text == "24" ? null : "mismatch";
        }, name: "legs_validator");

        Assert.True(Evaluate(sync, Context("24")).Accepted);
        Assert.Same(s_question, seen!.Messages);
        var rejected = Evaluate(sync, Context("twenty"));
        Assert.Equal(("validator", "no 24"), (rejected.Check, rejected.Reason));
        Assert.True((await asyncCheck.EvaluateAsync(Context("24"), default)).Accepted);
        var asyncRejected = await asyncCheck.EvaluateAsync(Context("25"), default);
        Assert.Equal(("legs_validator", "mismatch"), (asyncRejected.Check, asyncRejected.Reason));
        Assert.False(Evaluate(AcceptanceCheck.TextValidator(text => text.Length > 3 ? null : "short"), Context("24")).Accepted);
    }

    [Fact]
    public void SelfConsistency_DrawsTheOtherSamplesAtTheTemperature_OnClonesThatBypassSemanticCaches()
    {
        var tier = new ScriptedChatClient("gpt-4.1-mini", "#### 24", "#### 24", "#### 25");
        var callerOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 300 };
        var check = AcceptanceCheck.SelfConsistency(samples: 4, agree: 3, temperature: 0.8f, extractAnswer: text => text.Split("####").LastOrDefault()?.Trim());

        var verdict = Evaluate(check, Context("#### 24", tier: tier, options: callerOptions));

        Assert.True(verdict.Accepted);
        Assert.Equal(0.75, verdict.Score);
        Assert.Equal(3, tier.Calls);
        Assert.All(tier.Requests, request =>
        {
            Assert.NotSame(callerOptions, request.Options);
            Assert.Equal(0.8f, request.Options!.Temperature);
            Assert.Equal(300, request.Options.MaxOutputTokens);
            Assert.True(request.Options.BypassesSemanticCache());
        });
        Assert.Equal(0f, callerOptions.Temperature);
        Assert.False(callerOptions.BypassesSemanticCache());
    }

    [Fact]
    public void SelfConsistency_RejectsBelowTheAgreement_AndAnAnswerWithNothingToExtract()
    {
        var tier = new ScriptedChatClient("gpt-4.1-mini", "#### 25", "#### 24", "#### 26");
        var check = AcceptanceCheck.SelfConsistency(samples: 4, agree: 3, temperature: 0.8f, extractAnswer: text => text.Contains("####", StringComparison.Ordinal) ? text.Split("####")[^1].Trim() : null);

        var verdict = Evaluate(check, Context("#### 24", tier: tier));
        Assert.False(verdict.Accepted);
        Assert.Equal("self_consistency", verdict.Check);
        Assert.Equal("2 of 4 samples gave '24', 3 needed", verdict.Reason);

        Assert.Contains("no answer", Evaluate(check, Context("24", tier: tier)).Reason);
        Assert.Throws<ArgumentOutOfRangeException>(() => AcceptanceCheck.SelfConsistency(3, 4, 0.7f, t => t));
        Assert.Throws<ArgumentOutOfRangeException>(() => AcceptanceCheck.SelfConsistency(1, 1, 0.7f, t => t));
    }

    [Theory]
    [InlineData("Score: 8\nCorrect and complete.", true, 0.8)]
    [InlineData("score=7.5 mostly right", true, 0.75)]
    [InlineData("Score: 6\nMisses the unit.", false, 0.6)]
    [InlineData("The answer looks fine.", false, 0.0)]
    public void Judge_ScoresAgainstTheRubric_AndRejectsBelowTheMinimumOrWithoutAScore(string judgeReply, bool accepted, double score)
    {
        var judge = new ScriptedChatClient("gpt-4.1", judgeReply);
        var verdict = Evaluate(AcceptanceCheck.Judge(judge, "The count is right and shows the multiplication.", minimumScore: 7), Context("3 x 8 = 24"));

        Assert.Equal(accepted, verdict.Accepted);
        Assert.Equal(score, verdict.Score, 3);
        var prompt = Assert.Single(judge.Requests).Messages.Single().Text;
        Assert.Contains("shows the multiplication", prompt);
        Assert.Contains("3 spiders", prompt);
        Assert.Contains("3 x 8 = 24", prompt);
        if (!accepted)
        {
            Assert.Equal("judge", verdict.Check);
        }
    }

    [Fact]
    public void All_StopsAtTheFirstRejection_AndReportsIt()
    {
        int asked = 0;
        var counting = AcceptanceCheck.Validator(_ => { asked++; return null; }, "counting");
        var check = AcceptanceCheck.All(AcceptanceCheck.FinishedNormally(), AcceptanceCheck.TextValidator(t => t == "24" ? null : "not 24", "is_24"), counting);

        Assert.True(Evaluate(check, Context("24")).Accepted);
        Assert.Equal(1, asked);
        var verdict = Evaluate(check, Context("25"));
        Assert.Equal(("is_24", "not 24"), (verdict.Check, verdict.Reason));
        Assert.Equal(1, asked);
        Assert.Equal("finished_normally", Evaluate(check, Context("24", ChatFinishReason.Length)).Check);
    }

    [Fact]
    public void Any_AcceptsWhenOneAccepts_ElseListsEveryReason()
    {
        var check = AcceptanceCheck.Any(
            AcceptanceCheck.TextValidator(t => t == "24" ? null : "not 24", "is_24"),
            AcceptanceCheck.TextValidator(t => t == "twenty-four" ? null : "not spelt out", "spelt"));

        Assert.True(Evaluate(check, Context("24")).Accepted);
        Assert.True(Evaluate(check, Context("twenty-four")).Accepted);
        var verdict = Evaluate(check, Context("25"));
        Assert.False(verdict.Accepted);
        Assert.Equal("is_24", verdict.Check);
        Assert.Equal("no alternative accepted (is_24: not 24; spelt: not spelt out)", verdict.Reason);
        Assert.Throws<ArgumentException>(() => AcceptanceCheck.Any());
    }

    [Fact]
    public void Scored_AcceptsAtTheWeightedThreshold_AndNotJustBelow()
    {
        var has24 = AcceptanceCheck.TextValidator(t => t.Contains("24", StringComparison.Ordinal) ? null : "no 24", "has_24");
        var shows = AcceptanceCheck.TextValidator(t => t.Contains('x', StringComparison.Ordinal) ? null : "no working", "shows_working");
        var check = AcceptanceCheck.Scored(0.75, (has24, 3), (shows, 1));

        Assert.True(Evaluate(check, Context("3 x 8 = 24")).Accepted);
        Assert.True(Evaluate(check, Context("24")).Accepted); // 3 of 4
        var verdict = Evaluate(check, Context("3 x 8 = 25")); // 1 of 4
        Assert.False(verdict.Accepted);
        Assert.Equal("scored", verdict.Check);
        Assert.Equal("score 0.25 below 0.75 (has_24: no 24)", verdict.Reason);
        Assert.False(Evaluate(AcceptanceCheck.Scored(0.76, (has24, 3), (shows, 1)), Context("24")).Accepted);
        Assert.Throws<ArgumentOutOfRangeException>(() => AcceptanceCheck.Scored(1.5, (has24, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AcceptanceCheck.Scored(0.5, (has24, 0)));
    }
}
