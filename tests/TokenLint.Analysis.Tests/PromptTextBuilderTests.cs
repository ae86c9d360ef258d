using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TokenLint.Analysis.Prompts;
using TokenLint.Tests;

namespace TokenLint.Analysis.Tests;

/// <summary>How the prompt-text model splits real C# prompt expressions into static and volatile parts.</summary>
public sealed class PromptTextBuilderTests
{
    [Fact]
    public void InterpolatedStringWithClockAndParameter()
    {
        var text = Build("""
            string Prompt(string customer) => $"Today is {System.DateTime.UtcNow:D}. Customer: {customer}. Be kind.";
            """);

        Assert.Equal(
            new[] { (Volatility.Static, "Today is ", (string?)null), (Volatility.Daily, null, "DateTime.UtcNow"), (Volatility.Static, ". Customer: ", null), (Volatility.PerRequest, null, "parameter 'customer'"), (Volatility.Static, ". Be kind.", null) },
            text.Segments.Select(s => (s.Volatility, s.Text, s.Reason)));
    }

    [Theory]
    [InlineData("$\"{System.DateTime.UtcNow:yyyy-MM-dd}\"", Volatility.Daily)]
    [InlineData("$\"{System.DateTime.UtcNow:HH:mm}\"", Volatility.PerCall)]
    [InlineData("$\"{System.DateTime.UtcNow:O}\"", Volatility.PerCall)]
    [InlineData("$\"{System.DateTime.Today}\"", Volatility.Daily)]
    [InlineData("$\"{System.DateTime.Now.ToShortDateString()}\"", Volatility.Daily)]
    [InlineData("$\"{System.DateTimeOffset.UtcNow.Year}\"", Volatility.Daily)]
    [InlineData("$\"{System.DateTime.Now}\"", Volatility.PerCall)]
    public void DatesChangeDailyAndTimesOnEveryCall(string expression, Volatility expected)
    {
        var text = Build($"string Prompt() => {expression};");
        Assert.Equal(expected, Assert.Single(text.Segments).Volatility);
    }

    [Fact]
    public void LambdaAndConstructorParameters_AreNotPerRequest()
    {
        var fromConstructor = Build("""
            private readonly string _name;
            public C(string name) { _name = name; }
            string Prompt() => $"You help {_name}.";
            """);
        Assert.DoesNotContain(fromConstructor.Segments, s => s.IsVolatile);

        var text = Build("""
            private readonly string _name;
            public C(string name) { _name = name; }
            string Prompt(string[] tools) => $"Tools: {string.Join(", ", System.Linq.Enumerable.Select(tools, t => $"- {t}"))}";
            """);

        // What a method returns is not visible, and the lambda's t is the lambda's own: unknown, not per request.
        Assert.Equal(Volatility.Unknown, text.Segments[1].Volatility);
    }

    [Fact]
    public void ConcatenationConstantsAndLocals()
    {
        var text = Build("""
            const string Policy = "Refunds within 14 days.";
            string Prompt(string question)
            {
                var id = System.Guid.NewGuid();
                var header = "Request " + id + "\n";
                return header + Policy + "\nQuestion: " + question;
            }
            """);

        Assert.Equal("Request \nRefunds within 14 days.\nQuestion: ", text.StaticText);
        Assert.Equal(new[] { Volatility.Static, Volatility.PerCall, Volatility.Static, Volatility.PerRequest }, text.Segments.Select(s => s.Volatility));
        Assert.Equal("Guid.NewGuid()", text.Segments[1].Reason);
    }

    [Fact]
    public void StringFormatAndStringBuilder()
    {
        var formatted = Build("""
            string Prompt(int tries) => string.Format("Attempt {0} of {{3}} at {1:t}.", tries, System.DateTimeOffset.Now);
            """);
        Assert.Equal(new[] { Volatility.Static, Volatility.PerRequest, Volatility.Static, Volatility.PerCall, Volatility.Static }, formatted.Segments.Select(s => s.Volatility));
        Assert.Equal("Attempt  of {3} at .", formatted.StaticText);

        var built = Build("""
            string Prompt(string name)
            {
                var sb = new System.Text.StringBuilder("You are helpful.");
                sb.AppendLine();
                sb.Append("Ticks: ").Append(System.Environment.TickCount64);
                sb.AppendLine($" for {name}");
                return sb.ToString();
            }
            """);
        Assert.Equal("You are helpful.\nTicks:  for \n", built.StaticText);
        Assert.Equal(new[] { Volatility.Static, Volatility.PerCall, Volatility.Static, Volatility.PerRequest, Volatility.Static }, built.Segments.Select(s => s.Volatility));
    }

    [Fact]
    public void ValuesItCannotSee_AreUnknownNotVolatile()
    {
        var text = Build("""
            static string Tenant = System.Environment.GetEnvironmentVariable("TENANT") ?? "";
            static string Load() => System.IO.File.ReadAllText("prompt.txt");
            string Prompt() => $"Tenant {Tenant}: {Load()}";
            """);

        Assert.Equal(new[] { Volatility.Static, Volatility.Unknown, Volatility.Static, Volatility.Unknown }, text.Segments.Select(s => s.Volatility));
        Assert.False(text.IsConstant);
    }

    [Fact]
    public void ClockReadIntoAField_IsStableForTheFieldsLife()
    {
        // Set once per process: the cache still works between restarts' first calls.
        var text = Build("""
            static readonly string Started = System.DateTime.UtcNow.ToString("O");
            string Prompt() => $"Process started {Started}. Be brief.";
            """);

        Assert.DoesNotContain(text.Segments, s => s.IsVolatile);
    }

    [Fact]
    public void AppendsInALoop_MakeTheBuilderUnknown()
    {
        var text = Build("""
            string Prompt(string[] rules)
            {
                var sb = new System.Text.StringBuilder();
                foreach (var rule in rules) sb.AppendLine(rule);
                return sb.ToString();
            }
            """);

        Assert.Single(text.Segments);
        Assert.Equal(Volatility.Unknown, text.Segments[0].Volatility);
    }

    /// <summary>Builds the prompt text of the last method's returned expression.</summary>
    [Fact]
    public void HelperText_TakesTheCallersArguments()
    {
        var text = Build("""
            const string Rubric = "Score 1 to 5.";
            static string Judge(string answer, string style) => $"Answer: {answer}\nStyle: {style}\n{Rubric}";
            string Prompt(string answer) => Judge(answer, "terse");
            """);

        // The constant argument is static text; the parameter stays where the helper writes it.
        Assert.Equal(
            new[] { (Volatility.Static, "Answer: ", (string?)null), (Volatility.PerRequest, null, "parameter 'answer'"), (Volatility.Static, "\nStyle: terse\nScore 1 to 5.", null) },
            text.Segments.Select(s => (s.Volatility, s.Text, s.Reason)));
        Assert.Equal("Judge", ((IMethodSymbol)text.Segments[1].Parameter!.ContainingSymbol).Name);
    }

    [Fact]
    public void HelpersAreFollowedThreeCallsDeep_NotFour()
    {
        const string Chain = """
            static string Three(string x) => $"three {x}";
            static string Two(string x) => "two " + Three(x);
            static string One(string x) => "one " + Two(x);
            static string Zero(string x) => "zero " + One(x);
            """;
        var three = Build(Chain + "string Prompt() => One(\"!\");");
        Assert.Equal("one two three !", Assert.Single(three.Segments).Text);

        var four = Build(Chain + "string Prompt() => Zero(\"!\");");
        Assert.Equal(Volatility.Unknown, Assert.Single(four.Segments).Volatility);
    }

    [Fact]
    public void HelperInAnotherFile_IsFollowed_RecursiveHelpers_AreNot()
    {
        var text = Build(
            """
            string Recursive(int n) => "again " + Again(n);
            string Again(int n) => Recursive(n - 1);
            string Prompt(string answer) => Prompts.Judge(answer) + Recursive(2);
            """,
            "static class Prompts { public static string Judge(string answer) => $\"{answer} Score it.\"; }");

        Assert.Equal(
            new[] { (Volatility.PerRequest, (string?)null), (Volatility.Static, " Score it."), (Volatility.Unknown, null) },
            text.Segments.Select(s => (s.Volatility, s.Text)));
    }

    [Fact]
    public void SerializedRequestData_IsPerRequest_SerializedFields_AreNot()
    {
        var text = Build("""
            private readonly object _schema = new();
            string Prompt(System.Collections.Generic.List<object> samples)
            {
                foreach (var sample in samples)
                {
                    return $"{System.Text.Json.JsonSerializer.Serialize(sample)} {System.Text.Json.JsonSerializer.Serialize(_schema)} {sample.ToString()}";
                }

                throw new System.InvalidOperationException();
            }
            """);

        Assert.Equal(
            new[] { Volatility.PerRequest, Volatility.Static, Volatility.Unknown, Volatility.Static, Volatility.PerRequest },
            text.Segments.Select(s => s.Volatility));
        Assert.Equal("'System.Text.Json.JsonSerializer.Serialize(sample)'", text.Segments[0].Reason);
    }

    private static PromptText Build(string members, string? otherFile = null)
    {
        var tree = CSharpSyntaxTree.ParseText("class C {\n" + members + "\n}", new CSharpParseOptions(LanguageVersion.Latest));
        var trees = otherFile is null ? new[] { tree } : new[] { tree, CSharpSyntaxTree.ParseText(otherFile, new CSharpParseOptions(LanguageVersion.Latest)) };
        var compilation = CSharpCompilation.Create("test", trees, SdkReferences.Framework,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Last();
        var expression = method.ExpressionBody?.Expression ?? method.DescendantNodes().OfType<ReturnStatementSyntax>().Last().Expression!;
        var operation = compilation.GetSemanticModel(tree).GetOperation(expression)!;
        return PromptTextBuilder.Build(operation);
    }
}
