using System;
using System.Globalization;

namespace TokenLint.CascadeReplay.GradeSchoolMath;

/// <summary>
/// Evaluates the arithmetic a worked answer writes: numbers (with $, thousands commas, a trailing % meaning /100),
/// + - * / and the written forms x, ×, \*, ÷, and parentheses. Anything else is not arithmetic: null.
/// </summary>
internal ref struct Arithmetic
{
    private readonly ReadOnlySpan<char> _text;
    private int _at;

    private Arithmetic(ReadOnlySpan<char> text)
    {
        _text = text;
        _at = 0;
    }

    public static double? Evaluate(ReadOnlySpan<char> expression)
    {
        var parser = new Arithmetic(expression);
        double? value = parser.Sum();
        parser.SkipSpaces();
        return value is double v && parser._at == parser._text.Length && double.IsFinite(v) ? v : null;
    }

    /// <summary>A number as written in an answer ("$1,250.50", "40%" is 40), or null.</summary>
    public static double? Number(ReadOnlySpan<char> text)
    {
        text = text.Trim().TrimStart('$').TrimEnd('%');
        Span<char> digits = stackalloc char[text.Length];
        int n = 0;
        foreach (char c in text)
        {
            if (c != ',')
            {
                digits[n++] = c;
            }
        }

        return double.TryParse(digits[..n], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            ? value
            : null;
    }

    /// <summary>Whether a stated result matches a computed one, allowing the rounding answers write (1%, or 0.01).</summary>
    public static bool Matches(double computed, double stated) =>
        Math.Abs(computed - stated) <= Math.Max(0.01, Math.Abs(computed) * 0.01);

    private double? Sum()
    {
        double? left = Product();
        while (left is not null)
        {
            SkipSpaces();
            char op = Peek();
            if (op is not ('+' or '-'))
            {
                break;
            }

            _at++;
            double? right = Product();
            left = right is null ? null : op == '+' ? left + right : left - right;
        }

        return left;
    }

    private double? Product()
    {
        double? left = Factor();
        while (left is not null)
        {
            SkipSpaces();
            bool divide;
            if (Peek() is '*' or 'x' or '×')
            {
                divide = false;
                _at++;
            }
            else if (Peek() == '\\' && _at + 1 < _text.Length && _text[_at + 1] == '*')
            {
                divide = false;
                _at += 2;
            }
            else if (Peek() is '/' or '÷')
            {
                divide = true;
                _at++;
            }
            else
            {
                break;
            }

            double? right = Factor();
            left = right is null || (divide && right == 0) ? null : divide ? left / right : left * right;
        }

        return left;
    }

    private double? Factor()
    {
        SkipSpaces();
        if (Peek() == '-')
        {
            _at++;
            return -Factor();
        }

        if (Peek() == '(')
        {
            _at++;
            double? inner = Sum();
            SkipSpaces();
            if (Peek() != ')')
            {
                return null;
            }

            _at++;
            return Percent(inner);
        }

        if (Peek() == '$')
        {
            _at++;
        }

        int start = _at;
        while (_at < _text.Length && (char.IsAsciiDigit(_text[_at]) || _text[_at] == '.' || (_text[_at] == ',' && _at + 1 < _text.Length && char.IsAsciiDigit(_text[_at + 1]))))
        {
            _at++;
        }

        return _at == start ? null : Percent(Number(_text[start.._at]));
    }

    private double? Percent(double? value)
    {
        SkipSpaces();
        if (value is not null && Peek() == '%')
        {
            _at++;
            return value / 100;
        }

        return value;
    }

    private readonly char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private void SkipSpaces()
    {
        while (_at < _text.Length && _text[_at] == ' ')
        {
            _at++;
        }
    }
}
