using System.Linq;
using TokenLint.Analysis.CallSites;
using Kind = TokenLint.Analysis.CallSites.KernelTemplate.BlockKind;

namespace TokenLint.Analysis.Tests;

/// <summary>Semantic Kernel's template format, split as the kernel splits it.</summary>
public sealed class KernelTemplateTests
{
    [Theory]
    [InlineData("Hi {{$name}}!", "Text:Hi |Variable:name|Text:!")]
    [InlineData("Hi {{ $name }}", "Text:Hi |Variable:name")]
    [InlineData("{{\n\t$name\n}}", "Variable:name")]
    [InlineData("{{ 'a }} b' }}", "Value:a }} b")]
    [InlineData("{{ \"it\\\"s\" }}", "Value:it\"s")]
    [InlineData("{{ 'back\\\\slash' }}", "Value:back\\slash")]
    [InlineData("{{ time.Now }} and {{ plugin.Fn $input }}", "FunctionCall:time.Now|Text: and |FunctionCall:plugin.Fn $input")]
    [InlineData("{{ {{$x}}", "Text:{{ |Variable:x")]
    [InlineData("{{{$x}}}", "Text:{|Variable:x|Text:}")]
    [InlineData("empty {{ }} block", "Text:empty {{ }} block")]
    [InlineData("no blocks } { here", "Text:no blocks } { here")]
    [InlineData("unclosed {{$x", "Text:unclosed {{$x")]
    public void Blocks(string template, string expected)
    {
        var blocks = KernelTemplate.Parse(template);
        Assert.NotNull(blocks);
        Assert.Equal(expected, string.Join("|", blocks!.Select(b => $"{b.Kind}:{b.Text}")));
    }

    [Theory]
    [InlineData("{{$}}")]
    [InlineData("{{$na-me}}")]
    [InlineData("{{$a $b}}")]
    [InlineData("{{'a' 'b'}}")]
    public void TemplatesTheKernelRejects_AreNotRead(string template) => Assert.Null(KernelTemplate.Parse(template));

    [Fact]
    public void KindsAreDistinguished() => Assert.Equal(
        new[] { Kind.Text, Kind.Variable, Kind.Value, Kind.FunctionCall },
        KernelTemplate.Parse("a{{$b}}{{'c'}}{{d}}")!.Select(b => b.Kind));
}
