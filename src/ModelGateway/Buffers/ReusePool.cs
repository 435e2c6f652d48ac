namespace ModelGateway.Buffers;

/// <summary>
/// A few objects kept for reuse (JSON writers, key hashers), one pool per owner (a cache client, a provider client; no
/// static state). Renting takes a free object or creates one; returning keeps it when a slot is free and drops it
/// otherwise, so concurrent calls never wait and never share an object. The caller clears an object before returning it.
/// </summary>
/// <remarks>Thread-safe (lock-free: each slot is taken and given back with an atomic exchange).</remarks>
internal sealed class ReusePool<T>
    where T : class, new()
{
    private readonly T?[] _slots = new T?[Math.Clamp(Environment.ProcessorCount, 2, 16)];

    public T Rent()
    {
        T?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is not null && Interlocked.Exchange(ref slots[i], null) is { } item)
            {
                return item;
            }
        }

        return new T();
    }

    public void Return(T item)
    {
        T?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], item, null) is null)
            {
                return;
            }
        }

        // Every slot is taken: the item is dropped, and what it holds (a native hash context, say) is released now.
        (item as IDisposable)?.Dispose();
    }
}
