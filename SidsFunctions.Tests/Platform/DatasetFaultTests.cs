using System.Net;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>A corrupt dataset in the "degrade" fault mode: models that need it answer 503 with the reason, the rest serve.</summary>
public sealed class DatasetFaultTests(DatasetFaultTests.CorruptDatasetFactory factory) : IClassFixture<DatasetFaultTests.CorruptDatasetFactory>
{
    public sealed class CorruptDatasetFactory() : SidsAppFactory(new Dictionary<string, string?>
    {
        ["DATASET_PATH"] = CorruptCopy(),
        ["DATASET_FAULT_MODE"] = "degrade",
    });

    private static string CorruptCopy()
    {
        var folder = TemporaryFolder.Create("sids-corrupt-");
        foreach (var file in Directory.GetFiles(SidsAppFactory.SampleDatasetFolder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        var data = Path.Combine(folder, "indicatorData.csv");
        var lines = File.ReadAllLines(data);
        var cells = lines[3].Split(',');
        cells[2] = "not-a-number";
        lines[3] = string.Join(',', cells);
        File.WriteAllLines(data, lines);
        return folder;
    }

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ModelsNeedingTheDatasetAnswer503WithTheFileAndLine()
    {
        var response = await client.GetAsync("/twolvlImp/target_sample_size");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var message = (await response.ReadJsonAsync())!["detail"]!["msg"]!.GetValue<string>();
        Assert.Contains("indicatorData.csv line 4: \"not-a-number\" in column \"2000\" is not a number", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRestServesAndReadinessSaysWhichModelsAreDown()
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/params")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var models = (await ready.ReadJsonAsync())!["models"]!.AsObject();
        Assert.StartsWith("unavailable: ", models["twolvlImp"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ready", models["SurveyCluster"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task InTheDefaultFailModeTheWorkerStopsNamingTheFileAndLine()
    {
        // The worker may stop before or after the host reports it ready: either way it says why.
        ConfiguredAppFactory? app = null;
        string? stopped = null;
        try
        {
            app = new ConfiguredAppFactory(new Dictionary<string, string?> { ["DATASET_PATH"] = CorruptCopy() });
            stopped = await app.WaitForLogAsync(l => l.Contains("Stopping: cannot load the dataset", StringComparison.Ordinal));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("exited", StringComparison.Ordinal))
        {
            stopped = e.Message;
        }
        finally
        {
            app?.Dispose();
        }
        Assert.Contains("indicatorData.csv line 4", stopped, StringComparison.Ordinal);
        Assert.False(factory.Logs.Any(l => l.Contains("Stopping: cannot load", StringComparison.Ordinal)), "the degrade mode must not stop");
    }
}
