using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using TokenLint.CascadeReplay;
using TokenLint.CascadeReplay.GradeSchoolMath;
using TokenLint.Runtime.Cascade;

namespace TokenLint.Runtime.Tests.Cascade;

/// <summary>The replay bench's pieces: its CSV reader, its arithmetic, and each check of its grade-school-math policy.</summary>
public class GradeSchoolMathPolicyTests
{
    private const string Question = "Kylar buys 16 glasses. One glass costs $5, but every second glass costs 60% of the price. How much does he pay?";

    private static async Task<AcceptanceVerdict> JudgeAsync(string answer, string question = Question)
    {
        var context = new AcceptanceContext([new ChatMessage(ChatRole.User, question)], null,
            new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)), new CascadeTier(new ScriptedChatClient("m")));
        return await GradeSchoolMathPolicy.Create().EvaluateAsync(context, default);
    }

    [Fact]
    public async Task SoundWorkedAnswer_IsAccepted()
    {
        var verdict = await JudgeAsync("8 glasses cost 8 x $5 = $<<8*5=40>>40. The other 8 cost 60% of $5 = $3 each, 8 * 3 = 24.\nTotal 16 glasses: 40 + 24 = <<40+24=64>>64.\n#### 64");

        Assert.True(verdict.Accepted, verdict.ToString());
    }

    [Theory]
    [InlineData("16 glasses at $5, 60%: 8 * 5 = <<8*5=4", "not_cut_off")]
    [InlineData("16 glasses at $5 with 60% off every second: 8 * 5 + 8 * 3 = 64", "final_answer")]
    [InlineData("16 glasses at $5 with 60%: 8 * 5 = 40\n#### 64\n#### 60", "final_answer")]
    [InlineData("16 glasses, $5, 60%: 40 + 24.5 = 64.5\n#### 64.5", "final_answer")]
    [InlineData("16 glasses at $5, 60%: 8 * 5 = <<8*5=45>>45 and 8 * 3 = 24\n#### 69", "arithmetic")]
    [InlineData("16 glasses at $5, 60%: 8 x 5 = 40 and 8 x 3 = 25, so 40 + 25 = 65\n#### 65", "arithmetic")]
    [InlineData("16 glasses at $5, 60%: wait, 8 x 5 = 40 and 8 x 3 = 24.\n#### 64", "no_hedging")]
    [InlineData("The glasses cost 8 x 5 = 40 and 8 x 3 = 24 at 60%.\n#### 64", "uses_every_given")]
    public async Task EachCheck_RejectsTheFlawItLooksFor(string answer, string check)
    {
        var verdict = await JudgeAsync(answer);

        Assert.False(verdict.Accepted);
        Assert.Equal(check, verdict.Check);
    }

    [Theory]
    [InlineData("16 glasses, 60% of $5 is 0.6 x 5 = 3, so 8 * 5 + 8 * 3 = 64\n#### 64")] // a percentage as its fraction
    [InlineData("16 glasses at 5 dollars; 40% off is 0.6 of the price: 8 * 5 + 8 * 0.6 * 5 = 64\n#### 64")] // 60% written as 0.6
    [InlineData("16 glasses, $5, 60%: (8 x 5) + (8 x 3) = 64, that is 10 + 54 = 64\n#### 64")] // chained sums
    [InlineData("16 glasses cost $5 each, 60%: 8 * 5 = 40, 8 * 3 = 24. The answer is 64.")] // "the answer is" instead of ####
    public async Task NearMisses_AreAccepted(string answer)
    {
        Assert.True((await JudgeAsync(answer)).Accepted, (await JudgeAsync(answer)).ToString());
    }

    [Fact]
    public async Task PercentageChangeWrittenAsItsMultiplier_CountsAsUsed()
    {
        var verdict = await JudgeAsync("60 * 3 = 180, then 180 * 0.7 = <<180*0.7=126>>126\n#### 126", "60 downloads tripled to 180, then fell by 30%. How many in the third month?");

        Assert.True(verdict.Accepted, verdict.ToString());
    }

    [Theory]
    [InlineData("3 x 60", 180)]
    [InlineData("$1,250.50 + 49.50", 1300)]
    [InlineData("(12 / 20) \\* 100", 60)]
    [InlineData("200 ÷ 4 - 2 × 5", 40)]
    [InlineData("50% * 30", 15)]
    public void Arithmetic_EvaluatesWrittenExpressions(string expression, double value) =>
        Assert.Equal(value, Arithmetic.Evaluate(expression)!.Value, 9);

    [Theory]
    [InlineData("3 apples")]
    [InlineData("4 / 0")]
    [InlineData("(2 + 3")]
    public void Arithmetic_IsNullForWhatIsNotArithmetic(string expression) => Assert.Null(Arithmetic.Evaluate(expression));

    [Fact]
    public void Csv_ReadsQuotedFieldsWithCommasQuotesAndLineBreaks_OnAnyLineEnding()
    {
        var records = CsvTable.Parse("prompt,answer\r\n\"a, b\",\"line 1\nline \"\"2\"\"\"\r\nplain,\"\"\r\n", "t.csv");

        Assert.Equal(3, records.Count);
        Assert.Equal(["a, b", "line 1\nline \"2\""], records[1]);
        Assert.Equal(["plain", ""], records[2]);
        Assert.Throws<System.IO.InvalidDataException>(() => CsvTable.Parse("a\n\"open", "t.csv"));
    }
}
