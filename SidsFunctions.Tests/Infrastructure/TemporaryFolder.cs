using System.Collections.Concurrent;

namespace SidsFunctions.Tests.Infrastructure;

/// <summary>
/// Folders a test run makes under the temp path and deletes when it ends: a CI agent keeps its temp folder between runs,
/// and a run left about 40 behind (a storage folder per app, copies of the sample dataset).
/// </summary>
public static class TemporaryFolder
{
    private static readonly ConcurrentQueue<string> Made = new();

    static TemporaryFolder() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var folder in Made)
        {
            Delete(folder);
        }
    };

    /// <summary>A new empty folder named <paramref name="prefix"/> and a random suffix, deleted at the end of the test run.</summary>
    public static string Create(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        Made.Enqueue(folder);
        return folder;
    }

    /// <summary>Deletes <paramref name="folder"/> and what it holds, if it is still there; a folder in use is left.</summary>
    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // gone already, or a process still writing there: the temp folder's own cleaning will get it
        }
    }
}
