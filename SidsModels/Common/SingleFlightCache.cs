namespace SidsModels.Common;

/// <summary>
/// Results of deterministic computations, by key (e.g. the dataset version and the request): a bounded
/// least-recently-used cache that also merges identical requests in flight — the first computes, the
/// others wait for the same result. A computation is cancelled only when every caller waiting for it has
/// gone; failed or cancelled computations are not kept. Capacity 0 keeps nothing but still merges
/// identical requests in flight. Thread-safe.
/// </summary>
public sealed class SingleFlightCache<TValue>(int capacity)
{
    private readonly object gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> recency = new(); // most recent first

    public int Capacity { get; } = Math.Max(0, capacity);

    /// <summary>Answers kept or in flight.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>The cached answer for <paramref name="key"/>, or the answer of <paramref name="compute"/> (shared with identical callers).</summary>
    public async Task<TValue> GetOrComputeAsync(string key, Func<CancellationToken, Task<TValue>> compute, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                entry = new Entry(key);
                entries[key] = recency.AddFirst(entry);
                entry.Result = Task.Run(() => RunAsync(entry, compute));
            }
            entry.Waiters++;
        }
        try
        {
            return await entry.Result.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (gate)
            {
                if (--entry.Waiters == 0 && !entry.Result.IsCompleted)
                {
                    entry.Cancellation.Cancel(); // nobody waits any more: stop computing
                }
            }
        }
    }

    private async Task<TValue> RunAsync(Entry entry, Func<CancellationToken, Task<TValue>> compute)
    {
        try
        {
            var answer = await compute(entry.Cancellation.Token);
            lock (gate)
            {
                entry.Done = true;
                Trim();
            }
            return answer;
        }
        catch
        {
            lock (gate)
            {
                Remove(entry);
            }
            throw;
        }
    }

    // Drops the least recently used finished answers beyond the capacity; answers in flight stay.
    private void Trim()
    {
        var node = recency.Last;
        while (entries.Count > Capacity && node is not null)
        {
            var previous = node.Previous;
            if (node.Value.Done)
            {
                Remove(node.Value);
            }
            node = previous;
        }
    }

    private void Remove(Entry entry)
    {
        if (entries.TryGetValue(entry.Key, out var node) && ReferenceEquals(node.Value, entry))
        {
            entries.Remove(entry.Key);
            recency.Remove(node);
        }
    }

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public CancellationTokenSource Cancellation { get; } = new();

        public int Waiters { get; set; }

        public bool Done { get; set; }

        public Task<TValue> Result { get; set; } = null!;
    }
}
