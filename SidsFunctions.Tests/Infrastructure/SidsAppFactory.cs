using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SidsFunctions.Hosting;

namespace SidsFunctions.Tests.Infrastructure;

/// <summary>
/// The real app (its whole pipeline) in memory, on the built-in sample dataset unless a test gives other
/// settings. One instance per test class through <see cref="IClassFixture{TFixture}"/>; settings are
/// passed in configuration, never through process-wide environment variables, so classes run in parallel.
/// </summary>
public class SidsAppFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> settings;

    public SidsAppFactory() : this(new Dictionary<string, string?>())
    {
    }

    protected SidsAppFactory(IReadOnlyDictionary<string, string?> settings)
    {
        this.settings = settings;
    }

    /// <summary>Completes when the dataset has loaded (it loads in the background; readiness is 503 until then).</summary>
    public Task DatasetLoaded => Services.GetRequiredService<DatasetProvider>().Completion;

    /// <summary>The sample dataset shipped with the app (copied beside the tests by the build).</summary>
    public static string SampleDatasetFolder => Path.Combine(AppContext.BaseDirectory, "datasets");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration =>
        {
            // The sample dataset, no in-process timer, and a storage folder of this factory's own (durations and
            // time estimates are written there, never beside the shared sample).
            var values = new Dictionary<string, string?>
            {
                ["DATASET_PATH"] = SampleDatasetFolder,
                ["TIME_ESTIMATE_SCHEDULER"] = "off",
                ["LOCAL_STORAGE_PATH"] = Directory.CreateTempSubdirectory("sids-storage-").FullName,
            };
            foreach (var (key, value) in settings)
            {
                values[key] = value;
            }
            configuration.AddInMemoryCollection(values);
        });
    }
}
