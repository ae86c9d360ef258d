using System;
using Microsoft.Extensions.AI;
using TokenLint.Runtime;

namespace TokenLint.Postgres.Tests;

/// <summary>Cache entries and random unit vectors for the store tests.</summary>
internal static class CacheEntries
{
    public static SemanticCacheEntry Make(string partition, string key, float[] vector, DateTimeOffset storedAt, TimeSpan? timeToLive = null) => new(
        partition,
        key,
        "question " + key,
        vector,
        new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer " + key))
        {
            ModelId = "gpt-4.1-mini",
            ResponseId = "resp-" + key,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 7 },
        },
        storedAt,
        storedAt + (timeToLive ?? TimeSpan.FromHours(1)));

    public static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++)
        {
            // Gaussian (Box-Muller): directions spread evenly over the sphere.
            vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            norm += vector[i] * vector[i];
        }

        for (int i = 0; i < dimensions; i++)
        {
            vector[i] /= (float)Math.Sqrt(norm);
        }

        return vector;
    }

    /// <summary><paramref name="vector"/> moved a little in a random direction: a paraphrase of its question.</summary>
    public static float[] Near(Random random, float[] vector, float noise)
    {
        var offset = RandomUnit(random, vector.Length);
        var near = new float[vector.Length];
        for (int i = 0; i < vector.Length; i++)
        {
            near[i] = vector[i] + noise * offset[i];
        }

        return near;
    }
}
