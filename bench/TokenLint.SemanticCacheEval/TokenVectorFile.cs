using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace TokenLint.SemanticCacheEval;

/// <summary>Word pieces and their vectors per question, kept in a file outside the repository (a re-run encodes nothing twice).</summary>
internal static class TokenVectorFile
{
    public static Dictionary<string, (string[] Pieces, float[] Vectors)> Load(List<string> texts, string path)
    {
        var map = new Dictionary<string, (string[], float[])>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string text = reader.ReadString();
                var pieces = new string[reader.ReadInt32()];
                for (int k = 0; k < pieces.Length; k++)
                {
                    pieces[k] = reader.ReadString();
                }

                var vectors = new float[reader.ReadInt32()];
                for (int k = 0; k < vectors.Length; k++)
                {
                    vectors[k] = reader.ReadSingle();
                }

                map[text] = (pieces, vectors);
            }
        }

        var missing = texts.Where(t => !map.ContainsKey(t)).ToList();
        if (missing.Count == 0)
        {
            return map;
        }

        using var encoder = new MiniLmTokenEncoder();
        var started = DateTime.UtcNow;
        for (int start = 0; start < missing.Count; start += 32)
        {
            var batch = missing.GetRange(start, Math.Min(32, missing.Count - start));
            var encoded = encoder.Encode(batch);
            for (int k = 0; k < batch.Count; k++)
            {
                map[batch[k]] = encoded[k];
            }

            Console.Error.Write($"\rtoken-encoded {start + batch.Count}/{missing.Count}");
        }

        Console.Error.WriteLine(FormattableString.Invariant($" in {(DateTime.UtcNow - started).TotalSeconds:0.0} s"));
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(map.Count);
        foreach (var (text, (pieces, vectors)) in map)
        {
            writer.Write(text);
            writer.Write(pieces.Length);
            foreach (string piece in pieces)
            {
                writer.Write(piece);
            }

            writer.Write(vectors.Length);
            foreach (float v in vectors)
            {
                writer.Write(v);
            }
        }

        return map;
    }
}
