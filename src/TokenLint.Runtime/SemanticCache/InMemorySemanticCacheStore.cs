using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading;
using System.Threading.Tasks;

namespace TokenLint.Runtime;

/// <summary>
/// The in-process <see cref="ISemanticCacheStore"/>: an exact scan of each partition's vectors (one contiguous array
/// per partition, compared with <see cref="TensorPrimitives"/>), at most <see cref="Capacity"/> entries (the oldest
/// written are evicted first, expired ones before them), absolute time to live on the given clock. Vectors are stored
/// at unit length, so similarity is their dot product.
/// </summary>
public sealed class InMemorySemanticCacheStore : ISemanticCacheStore, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Partition, string Key), Node> _byKey = new();

    // Write order: eviction takes the first; with one time to live per client it is also expiry order.
    private readonly LinkedList<Node> _writeOrder = new();
    private readonly TimeProvider _timeProvider;
    private int _dimension;

    /// <param name="capacity">Entries kept at most, across partitions.</param>
    /// <param name="timeProvider">The clock entries expire on; the system clock if null.</param>
    public InMemorySemanticCacheStore(int capacity = 10_000, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Entries kept at most.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now, expired ones not yet dropped included.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _byKey.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public ValueTask<SemanticCacheEntry?> GetExactAsync(string partition, string exactKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(exactKey);
        var now = _timeProvider.GetUtcNow();
        _lock.EnterReadLock();
        try
        {
            return ValueTask.FromResult(
                _byKey.TryGetValue((partition, exactKey), out var node) && node.Entry.ExpiresAt > now ? node.Entry : null);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public ValueTask<IReadOnlyList<SemanticCacheMatch>> SearchAsync(
        string partition, ReadOnlyMemory<float> vector, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var now = _timeProvider.GetUtcNow();
        float[] query = Normalized(vector.Span);
        _lock.EnterReadLock();
        try
        {
            if (!_partitions.TryGetValue(partition, out var slots) || slots.Used == 0)
            {
                return ValueTask.FromResult<IReadOnlyList<SemanticCacheMatch>>([]);
            }

            CheckDimension(query.Length, _dimension);
            return ValueTask.FromResult<IReadOnlyList<SemanticCacheMatch>>(slots.Nearest(query, count, now));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public ValueTask SetAsync(SemanticCacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        float[]? vector = entry.Vector.IsEmpty ? null : Normalized(entry.Vector.Span);
        var now = _timeProvider.GetUtcNow();
        _lock.EnterWriteLock();
        try
        {
            if (vector is not null)
            {
                if (_dimension == 0)
                {
                    _dimension = vector.Length;
                }

                CheckDimension(vector.Length, _dimension);
            }

            if (_byKey.TryGetValue((entry.Partition, entry.ExactKey), out var existing))
            {
                Remove(existing);
            }

            if (!_partitions.TryGetValue(entry.Partition, out var partition))
            {
                partition = new Partition();
                _partitions.Add(entry.Partition, partition);
            }

            if (vector is null)
            {
                partition.Exact++;
            }

            var node = new Node(entry, partition, vector is null ? -1 : partition.Add(entry, vector));
            node.Order = _writeOrder.AddLast(node);
            _byKey.Add((entry.Partition, entry.ExactKey), node);
            while (_writeOrder.First is { } oldest && (oldest.Value.Entry.ExpiresAt <= now || _byKey.Count > Capacity))
            {
                Remove(oldest.Value);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        var expired = new List<Node>();
        _lock.EnterWriteLock();
        try
        {
            foreach (var node in _writeOrder)
            {
                if (node.Entry.ExpiresAt <= now)
                {
                    expired.Add(node);
                }
            }

            foreach (var node in expired)
            {
                Remove(node);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return ValueTask.FromResult(expired.Count);
    }

    public void Dispose() => _lock.Dispose();

    private void Remove(Node node)
    {
        _byKey.Remove((node.Entry.Partition, node.Entry.ExactKey));
        _writeOrder.Remove(node.Order!);
        if (node.Slot >= 0)
        {
            node.Partition.Free(node.Slot);
        }
        else
        {
            node.Partition.Exact--;
        }

        if (node.Partition.Used == 0 && node.Partition.Exact == 0)
        {
            _partitions.Remove(node.Entry.Partition);
        }
    }

    private static void CheckDimension(int actual, int expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"This store holds vectors of {expected} dimensions; got {actual}.");
        }
    }

    private static float[] Normalized(ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty)
        {
            throw new ArgumentException("The vector is empty.", nameof(vector));
        }

        var copy = vector.ToArray();
        float norm = TensorPrimitives.Norm(copy);
        if (norm > 0 && MathF.Abs(norm - 1) > 1e-4f)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }

    private sealed class Node(SemanticCacheEntry entry, Partition partition, int slot)
    {
        public SemanticCacheEntry Entry { get; } = entry;

        public Partition Partition { get; } = partition;

        public int Slot { get; } = slot;

        public LinkedListNode<Node>? Order { get; set; }
    }

    /// <summary>One partition's vectors side by side, so a lookup is one pass over one array.</summary>
    private sealed class Partition
    {
        private readonly Stack<int> _free = new();
        private float[] _vectors = [];
        private SemanticCacheEntry?[] _entries = new SemanticCacheEntry?[16];
        private int _highWater;
        private int _dimension;

        /// <summary>Entries with a vector.</summary>
        public int Used { get; private set; }

        /// <summary>Entries without a vector (exact repeats only).</summary>
        public int Exact { get; set; }

        public int Add(SemanticCacheEntry entry, float[] vector)
        {
            if (_dimension == 0)
            {
                _dimension = vector.Length;
                _vectors = new float[_dimension * _entries.Length];
            }

            if (!_free.TryPop(out int slot))
            {
                slot = _highWater++;
                if (slot == _entries.Length)
                {
                    Array.Resize(ref _entries, _entries.Length * 2);
                    Array.Resize(ref _vectors, _vectors.Length * 2);
                }
            }

            vector.CopyTo(_vectors.AsSpan(slot * _dimension, _dimension));
            _entries[slot] = entry;
            Used++;
            return slot;
        }

        public void Free(int slot)
        {
            _entries[slot] = null;
            _free.Push(slot);
            Used--;
        }

        public SemanticCacheMatch[] Nearest(float[] query, int count, DateTimeOffset now)
        {
            var best = new SemanticCacheMatch[Math.Min(count, Used)];
            int found = 0;
            ReadOnlySpan<float> vectors = _vectors;
            for (int slot = 0; slot < _highWater; slot++)
            {
                var entry = _entries[slot];
                if (entry is null)
                {
                    continue;
                }

                float similarity = TensorPrimitives.Dot(query, vectors.Slice(slot * _dimension, _dimension));
                if (found == best.Length && similarity <= best[found - 1].Similarity)
                {
                    continue;
                }

                if (entry.ExpiresAt <= now)
                {
                    continue;
                }

                // Insertion into the short sorted list of the best so far.
                int at = found == best.Length ? found - 1 : found++;
                while (at > 0 && best[at - 1].Similarity < similarity)
                {
                    best[at] = best[at - 1];
                    at--;
                }

                best[at] = new SemanticCacheMatch(entry, similarity);
            }

            return found == best.Length ? best : best[..found];
        }
    }
}
