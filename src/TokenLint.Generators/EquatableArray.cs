using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace TokenLint.Generators;

/// <summary>
/// An immutable array compared by its elements, so that a pipeline model holding one is equal to the model of
/// the previous run when nothing changed and the generator's output stays cached. A class rather than a struct:
/// the pipeline's nodes over reference types share one compiled body, while each value type they carry costs the
/// compiler process its own JIT work, even in a project without <c>[CachedPrompt]</c> types.
/// </summary>
internal sealed class EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    public EquatableArray(ImmutableArray<T> items) => Items = items.IsDefault ? ImmutableArray<T>.Empty : items;

    public static EquatableArray<T> Empty { get; } = new(ImmutableArray<T>.Empty);

    public ImmutableArray<T> Items { get; }

    public bool Equals(EquatableArray<T>? other) => other is not null && Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (var item in Items)
        {
            hash = unchecked((hash * 31) + item.GetHashCode());
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
