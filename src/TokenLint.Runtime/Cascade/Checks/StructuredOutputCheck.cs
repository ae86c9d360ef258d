using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace TokenLint.Runtime.Cascade;

/// <summary>
/// The answer is the JSON of a <typeparamref name="T"/>, read as <c>GetResponseAsync&lt;T&gt;</c> reads it
/// (<see cref="ChatResponse{T}"/>, including the <c>{"data": ...}</c> wrapper it asks for when
/// <typeparamref name="T"/> is not an object), and passes the optional predicate.
/// </summary>
internal sealed class StructuredOutputCheck<T> : AcceptanceCheck
{
    private const string WrapperProperty = "data";

    private readonly Func<T, bool>? _predicate;
    private readonly JsonSerializerOptions _serializerOptions;

    public StructuredOutputCheck(Func<T, bool>? predicate, JsonSerializerOptions? serializerOptions)
    {
        _predicate = predicate;
        _serializerOptions = serializerOptions ?? AIJsonUtilities.DefaultOptions;
    }

    public override string Name => "structured_output";

    public override ValueTask<AcceptanceVerdict> EvaluateAsync(AcceptanceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!TryParse(context.Response, out T? value, out string? error))
        {
            return new(AcceptanceVerdict.Reject(Name, $"the answer is not a {typeof(T).Name} in JSON: {error}"));
        }

        if (_predicate is not null && !_predicate(value!))
        {
            return new(AcceptanceVerdict.Reject(Name, $"the {typeof(T).Name} failed the predicate"));
        }

        return new(AcceptanceVerdict.Accept());
    }

    private bool TryParse(ChatResponse response, out T? value, out string? error)
    {
        error = null;
        if (new ChatResponse<T>(response, _serializerOptions).TryGetResult(out value) && value is not null)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(response.Text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(WrapperProperty, out var wrapped))
            {
                var typeInfo = (JsonTypeInfo<T>)_serializerOptions.GetTypeInfo(typeof(T));
                value = wrapped.Deserialize(typeInfo);
                if (value is not null)
                {
                    return true;
                }
            }

            error = "it does not match the type";
        }
        catch (JsonException e)
        {
            error = e.Message;
        }
        catch (NotSupportedException e)
        {
            error = e.Message;
        }

        return false;
    }
}
