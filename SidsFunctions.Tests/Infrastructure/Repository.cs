namespace SidsFunctions.Tests.Infrastructure;

/// <summary>Paths in the source tree (the tests check files that ship: host.json, local.settings.sample.json, deployment files).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SidsMl.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (SidsMl.sln) is not above the test output folder.");
    }
}
