using TokenLint.Analysis.Json;

namespace TokenLint.Analysis.Tests;

public sealed class JsonReaderTests
{
    [Fact]
    public void ReadsValuesWithTheirPositions()
    {
        var root = JsonReader.Parse("{\n  \"a\": [1, -2.5e1, true, null],\n  \"b\": \"x\\u0041\\n\"\n}");

        Assert.Equal(JsonKind.Object, root.Kind);
        var a = root["a"]!;
        Assert.Equal((2, 8), (a.Line, a.Column));
        Assert.Equal(new[] { 1d, -25d }, new[] { a.Items[0].NumberValue, a.Items[1].NumberValue });
        Assert.True(a.Items[2].BooleanValue);
        Assert.Equal(JsonKind.Null, a.Items[3].Kind);
        Assert.Equal("xA\n", root["b"]!.StringValue);
    }

    [Theory]
    [InlineData("{ \"a\": 1, }", 1, 11, "a trailing comma is not allowed")]
    [InlineData("[1, 2,]", 1, 7, "a trailing comma is not allowed")]
    [InlineData("{\n  \"a\" 1\n}", 2, 7, "expected ':' after a property name")]
    [InlineData("{ \"a\": \"open\n", 1, 13, "unterminated string (a line break inside a string)")]
    [InlineData("{ \"a\": 01 }", 1, 9, "expected ',' or '}' after a property value")]
    [InlineData("{ 'a': 1 }", 1, 3, "expected a property name in double quotes")]
    [InlineData("{} x", 1, 4, "unexpected text after the end of the document")]
    [InlineData("", 1, 1, "unexpected end of the document; expected a value")]
    public void ReportsTheFirstProblemWithLineAndColumn(string text, int line, int column, string problem)
    {
        var error = Assert.Throws<JsonReaderException>(() => JsonReader.Parse(text));
        Assert.Equal((line, column, problem), (error.Line, error.Column, error.Problem));
    }

    [Fact]
    public void RejectsDeepNesting() =>
        Assert.Throws<JsonReaderException>(() => JsonReader.Parse(new string('[', 100) + new string(']', 100)));
}
