namespace ModelGateway.Caching;

/// <summary>
/// A few <see cref="CacheEntryWriter"/>s for reuse, one pool per cache client (no static state). Renting takes a free
/// writer or creates one; returning keeps it when a slot is free and drops it otherwise, so concurrent writes never
/// wait and never share a writer.
/// </summary>
/// <remarks>Thread-safe (lock-free: each slot is taken and given back with an atomic exchange).</remarks>
internal sealed class CacheEntryWriterPool
{
    private readonly CacheEntryWriter?[] _slots = new CacheEntryWriter?[Math.Clamp(Environment.ProcessorCount, 2, 16)];

    public CacheEntryWriter Rent()
    {
        CacheEntryWriter?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is not null && Interlocked.Exchange(ref slots[i], null) is { } writer)
            {
                return writer;
            }
        }

        return new CacheEntryWriter();
    }

    public void Return(CacheEntryWriter writer)
    {
        writer.Release();
        CacheEntryWriter?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], writer, null) is null)
            {
                return;
            }
        }
    }
}
