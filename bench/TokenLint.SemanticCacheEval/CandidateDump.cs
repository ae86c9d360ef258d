using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using TokenLint.Runtime;

namespace TokenLint.SemanticCacheEval;

/// <summary>
/// For studying signals: the protocol with plain cosine at a low threshold (a hit stores nothing), writing each
/// lookup's five nearest stored questions with their similarity and whether they share the asker's group.
/// </summary>
internal static class CandidateDump
{
    public static void Write(IReadOnlyList<QqpPair> pairs, EmbeddingFileCache embeddings, string path, float threshold)
    {
        var asked = pairs.Select(p => (p.A, p.AGroup)).Concat(pairs.Select(p => (p.B, p.BGroup))).ToList();
        var stored = new List<(string Text, long Group, float[] Vector)>();
        var exact = new Dictionary<string, long>(StringComparer.Ordinal);
        var groups = new HashSet<long>();
        using var writer = new StreamWriter(path);
        int index = 0;
        foreach (var (question, group) in asked)
        {
            index++;
            string text = SemanticCacheChatClient.Normalize(question);
            bool answerable = groups.Contains(group);
            if (exact.ContainsKey(text))
            {
                continue;
            }

            float[] vector = embeddings.Get(text);
            var top = stored.Select((s, i) => (i, Sim: TensorPrimitives.Dot(vector, s.Vector))).OrderByDescending(t => t.Sim).Take(5).ToList();
            int rank = 0;
            foreach (var (i, sim) in top)
            {
                writer.WriteLine(string.Join('\t', index, answerable ? 1 : 0, rank++, sim.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture),
                    stored[i].Group == group ? 1 : 0, text.Replace('\t', ' '), stored[i].Text.Replace('\t', ' ')));
            }

            if (top.Count > 0 && top[0].Sim >= threshold)
            {
                continue;
            }

            stored.Add((text, group, vector));
            exact[text] = group;
            groups.Add(group);
        }
    }
}
