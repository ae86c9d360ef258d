using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TokenLint.Analysis.Json;

/// <summary>Thrown for text that is not JSON; carries the 1-based position of the problem.</summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
sealed class JsonReaderException : Exception
{
    public JsonReaderException(string problem, int line, int column, int offset)
        : base($"({line},{column}): {problem}")
    {
        Problem = problem;
        Line = line;
        Column = column;
        Offset = offset;
    }

    public string Problem { get; }

    public int Line { get; }

    public int Column { get; }

    public int Offset { get; }
}

/// <summary>
/// A small strict JSON (RFC 8259) reader that tracks line and column. Inside the compiler TokenLint reads
/// user files with this instead of System.Text.Json, whose assembly versions clash with the ones a
/// compiler host has loaded (a classic Visual Studio analyzer load failure).
/// </summary>
#if TOKENLINT_CATALOG_INTERNAL
internal
#else
public
#endif
sealed class JsonReader
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    private JsonReader(string text)
    {
        _text = text;
    }

    /// <summary>Parses a whole document; throws <see cref="JsonReaderException"/> on the first problem.</summary>
    public static JsonNode Parse(string text)
    {
        var reader = new JsonReader(text);
        reader.SkipWhitespace();
        if (reader._position < text.Length && text[reader._position] == '\uFEFF')
        {
            reader._position++;
            reader._lineStart++;
            reader.SkipWhitespace();
        }

        var value = reader.ReadValue(0);
        reader.SkipWhitespace();
        if (reader._position < text.Length)
        {
            throw reader.Error("unexpected text after the end of the document");
        }

        return value;
    }

    private int Column => _position - _lineStart + 1;

    private JsonReaderException Error(string problem) => new(problem, _line, Column, _position);

    private JsonNode ReadValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("the document is nested too deeply");
        }

        if (_position >= _text.Length)
        {
            throw Error("unexpected end of the document; expected a value");
        }

        int line = _line, column = Column, offset = _position;
        switch (_text[_position])
        {
            case '{':
                return ReadObject(depth, line, column, offset);
            case '[':
                return ReadArray(depth, line, column, offset);
            case '"':
                return JsonNode.String(ReadString(), line, column, offset);
            case 't':
                ExpectWord("true");
                return JsonNode.Boolean(true, line, column, offset);
            case 'f':
                ExpectWord("false");
                return JsonNode.Boolean(false, line, column, offset);
            case 'n':
                ExpectWord("null");
                return JsonNode.Null(line, column, offset);
            default:
                char c = _text[_position];
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return JsonNode.Number(ReadNumber(), line, column, offset);
                }

                throw Error($"unexpected character '{c}'; expected a value");
        }
    }

    private JsonNode ReadObject(int depth, int line, int column, int offset)
    {
        _position++; // {
        var members = new List<KeyValuePair<string, JsonNode>>();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return JsonNode.Object(members, line, column, offset);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Error(Peek() == '}' ? "a trailing comma is not allowed" : "expected a property name in double quotes");
            }

            string name = ReadString();
            SkipWhitespace();
            if (Peek() != ':')
            {
                throw Error("expected ':' after a property name");
            }

            _position++;
            SkipWhitespace();
            members.Add(new KeyValuePair<string, JsonNode>(name, ReadValue(depth + 1)));
            SkipWhitespace();
            char next = Peek();
            if (next == ',')
            {
                _position++;
                continue;
            }

            if (next == '}')
            {
                _position++;
                return JsonNode.Object(members, line, column, offset);
            }

            throw Error("expected ',' or '}' after a property value");
        }
    }

    private JsonNode ReadArray(int depth, int line, int column, int offset)
    {
        _position++; // [
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return JsonNode.Array(items, line, column, offset);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() == ']')
            {
                throw Error("a trailing comma is not allowed");
            }

            items.Add(ReadValue(depth + 1));
            SkipWhitespace();
            char next = Peek();
            if (next == ',')
            {
                _position++;
                continue;
            }

            if (next == ']')
            {
                _position++;
                return JsonNode.Array(items, line, column, offset);
            }

            throw Error("expected ',' or ']' after an array item");
        }
    }

    private string ReadString()
    {
        _position++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("unterminated string");
            }

            char c = _text[_position];
            if (c == '"')
            {
                _position++;
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw Error(c == '\n' ? "unterminated string (a line break inside a string)" : "a control character inside a string must be escaped");
            }

            if (c != '\\')
            {
                builder.Append(c);
                _position++;
                continue;
            }

            _position++;
            char escape = Peek();
            _position++;
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        throw Error("expected four hexadecimal digits after \\u");
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    _position--;
                    throw Error($"invalid escape '\\{escape}'");
            }
        }
    }

    private double ReadNumber()
    {
        int start = _position;
        if (Peek() == '-')
        {
            _position++;
        }

        if (Peek() == '0')
        {
            _position++;
        }
        else if (!ReadDigits())
        {
            throw Error("expected a digit");
        }

        if (Peek() == '.')
        {
            _position++;
            if (!ReadDigits())
            {
                throw Error("expected a digit after the decimal point");
            }
        }

        if (Peek() == 'e' || Peek() == 'E')
        {
            _position++;
            if (Peek() == '+' || Peek() == '-')
            {
                _position++;
            }

            if (!ReadDigits())
            {
                throw Error("expected a digit in the exponent");
            }
        }

        return double.Parse(_text.Substring(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private bool ReadDigits()
    {
        int start = _position;
        while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9')
        {
            _position++;
        }

        return _position > start;
    }

    private void ExpectWord(string word)
    {
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
        {
            throw Error($"unexpected character '{_text[_position]}'; expected a value");
        }

        _position += word.Length;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }
            else if (c != ' ' && c != '\t' && c != '\r')
            {
                return;
            }

            _position++;
        }
    }
}
