using System.Text;
using SidsFunctions.Storage;

namespace SidsFunctions.Tests.Storage;

/// <summary>
/// What every <see cref="IBlobStore"/> promises, run against Azurite (<see cref="AzureBlobStoreTests"/>)
/// and a local folder (<see cref="FolderBlobStoreTests"/>): conditional reads and writes as results, not
/// exceptions; appends that lose nothing when writers race; listings by prefix. xunit runs these facts in
/// each derived class.
/// </summary>
public abstract class BlobStoreContractTests
{
    protected abstract IBlobStore Store { get; }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[]? bytes) => Encoding.UTF8.GetString(bytes!);

    [Fact]
    public async Task PutThenGetReturnsTheContentAndItsETag()
    {
        var container = Names.Container("put");
        var put = await Store.PutAsync(container, "a/b.json", Bytes("{\"x\":1}"), contentType: "application/json");
        Assert.True(put.Written);
        Assert.False(string.IsNullOrEmpty(put.ETag));

        var get = await Store.GetAsync(container, "a/b.json");
        Assert.Equal(BlobReadStatus.Found, get.Status);
        Assert.Equal("{\"x\":1}", Text(get.Content));
        Assert.Equal(put.ETag, get.ETag);
    }

    [Fact]
    public async Task ConditionsAreResults()
    {
        var container = Names.Container("cond");
        var first = await Store.PutAsync(container, "doc", Bytes("one"), BlobConditions.IfAbsent);
        Assert.True(first.Written);

        // If-None-Match: * on an existing blob, and If-Match with a stale ETag: not written.
        Assert.False((await Store.PutAsync(container, "doc", Bytes("two"), BlobConditions.IfAbsent)).Written);
        var second = await Store.PutAsync(container, "doc", Bytes("two"), BlobConditions.Matching(first.ETag!));
        Assert.True(second.Written);
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.False((await Store.PutAsync(container, "doc", Bytes("three"), BlobConditions.Matching(first.ETag!))).Written);
        Assert.Equal("two", Text((await Store.GetAsync(container, "doc")).Content));

        // If-None-Match with the current ETag: 304, no content; with an old one: the content.
        var unchanged = await Store.GetAsync(container, "doc", BlobConditions.ChangedSince(second.ETag!));
        Assert.Equal(BlobReadStatus.NotModified, unchanged.Status);
        Assert.Null(unchanged.Content);
        var changed = await Store.GetAsync(container, "doc", BlobConditions.ChangedSince(first.ETag!));
        Assert.Equal(BlobReadStatus.Found, changed.Status);
        Assert.Equal("two", Text(changed.Content));

        // If-Match with a stale ETag on a read: 412.
        Assert.Equal(BlobReadStatus.ConditionNotMet, (await Store.GetAsync(container, "doc", BlobConditions.Matching(first.ETag!))).Status);
    }

    [Fact]
    public async Task MissingBlobsAndContainersAreNotFound()
    {
        var container = Names.Container("missing");
        Assert.Equal(BlobReadStatus.NotFound, (await Store.GetAsync(container, "nothing")).Status);
        Assert.Empty(await Store.ListAsync(container, ""));
        Assert.True((await Store.PutAsync(container, "something", Bytes("x"))).Written);
        Assert.Equal(BlobReadStatus.NotFound, (await Store.GetAsync(container, "nothing")).Status);
        Assert.Empty(await Store.ListAsync(container, "no"));
    }

    [Fact]
    public async Task ConcurrentWritersAppendingLoseNoRecord()
    {
        const int writers = 8;
        const int recordsEach = 40;
        var container = Names.Container("append");
        // All writers start together on a blob (and container) that does not exist yet: they race to create it.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var r = 0; r < recordsEach; r++)
            {
                // Some blocks carry several lines, as the duration log batches them.
                var lines = r % 5 == 0 ? $"{{\"w\":{w},\"r\":{r}}}\n{{\"w\":{w},\"r\":{r},\"twin\":true}}\n" : $"{{\"w\":{w},\"r\":{r}}}\n";
                await Store.AppendAsync(container, "day.jsonl", Bytes(lines));
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(tasks);

        var content = Text((await Store.GetAsync(container, "day.jsonl")).Content);
        var lines = content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(writers * (recordsEach + recordsEach / 5), lines.Length);
        var plain = lines.Where(l => !l.Contains("twin", StringComparison.Ordinal)).ToHashSet();
        for (var w = 0; w < writers; w++)
        {
            for (var r = 0; r < recordsEach; r++)
            {
                Assert.Contains($"{{\"w\":{w},\"r\":{r}}}", plain);
            }
        }
        // Each multi-line block landed whole: its twin line follows its first line directly.
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains("twin", StringComparison.Ordinal))
            {
                Assert.Equal(lines[i].Replace(",\"twin\":true", "", StringComparison.Ordinal), lines[i - 1]);
            }
        }
    }

    [Fact]
    public async Task ListingFiltersByPrefixInNameOrder()
    {
        var container = Names.Container("list");
        foreach (var name in new[] { "durations/2026-11-21.jsonl", "durations/2026-11-20.jsonl", "other/x", "durations-not/y", "top" })
        {
            await Store.PutAsync(container, name, Bytes(name));
        }
        var listed = await Store.ListAsync(container, "durations/");
        Assert.Equal(["durations/2026-11-20.jsonl", "durations/2026-11-21.jsonl"], listed.Select(b => b.Name));
        Assert.All(listed, b => Assert.Equal(b.Name.Length, b.Length));
        Assert.Equal(5, (await Store.ListAsync(container, "")).Count);
    }

    [Fact]
    public async Task NamesWithSpacesAndNonAsciiCharactersRoundTrip()
    {
        var container = Names.Container("names");
        const string name = "folder with space/données été+plus.csv";
        Assert.True((await Store.PutAsync(container, name, Bytes("é"))).Written);
        Assert.Equal("é", Text((await Store.GetAsync(container, name)).Content));
        Assert.Equal([name], (await Store.ListAsync(container, "folder with")).Select(b => b.Name));
    }
}
