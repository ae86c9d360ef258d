using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime;

/// <summary>
/// Where a <see cref="SemanticCacheChatClient"/> keeps answers: by exact key, and by the vector of their question
/// within a partition. Every vector of one store has the same dimension. An implementation serves no expired entry
/// (time to live is absolute from the write) and keeps its size bounded by evicting. Methods may be called
/// concurrently. Shaped for an in-process index as well as a database table with a vector column.
/// </summary>
public interface ISemanticCacheStore
{
    /// <summary>The entry stored under <paramref name="exactKey"/> in <paramref name="partition"/>, unless expired.</summary>
    ValueTask<SemanticCacheEntry?> GetExactAsync(string partition, string exactKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="count"/> unexpired entries of <paramref name="partition"/> that have a vector, nearest
    /// first by cosine similarity to <paramref name="vector"/>.
    /// </summary>
    ValueTask<IReadOnlyList<SemanticCacheMatch>> SearchAsync(
        string partition, ReadOnlyMemory<float> vector, int count, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="entry"/>, replacing one with the same partition and exact key, evicting if full.</summary>
    ValueTask SetAsync(SemanticCacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Drops every expired entry now (reads already skip them); returns how many.</summary>
    ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default);
}
