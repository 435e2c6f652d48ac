using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace ModelGateway.Tests.Caching;

/// <summary>An <see cref="IDistributedCache"/> double whose entries tests can inspect and corrupt, and which can fail or hang.</summary>
internal sealed class TestDistributedCache : IDistributedCache
{
    public ConcurrentDictionary<string, byte[]> Entries { get; } = new();

    public List<DistributedCacheEntryOptions> WriteOptions { get; } = [];

    public bool Throw { get; set; }

    public bool Hang { get; set; }

    public int Reads;

    public int Writes;

    public byte[]? Get(string key) => throw new NotSupportedException("The gateway must use the async API.");

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Interlocked.Increment(ref Reads);
        if (Throw)
        {
            return Task.FromException<byte[]?>(new InvalidOperationException("cache backend down"));
        }

        if (Hang)
        {
            return new TaskCompletionSource<byte[]?>().Task;
        }

        return Task.FromResult(Entries.TryGetValue(key, out byte[]? value) ? value : null);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException("The gateway must use the async API.");

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Interlocked.Increment(ref Writes);
        if (Throw)
        {
            throw new InvalidOperationException("cache backend down");
        }

        if (Hang)
        {
            return new TaskCompletionSource().Task;
        }

        lock (WriteOptions)
        {
            WriteOptions.Add(options);
        }

        Entries[key] = value;
        return Task.CompletedTask;
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => Entries.TryRemove(key, out _);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }
}
