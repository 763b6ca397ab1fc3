using Microsoft.Extensions.Configuration;
using SidsFunctions.Storage;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TimeEstimates;

/// <summary>Settings of the time estimates and of storage: defaults, normal forms, and messages naming the setting.</summary>
public sealed class TimeEstimateOptionsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void DefaultsAreTheLocalSettingsSamples()
    {
        var options = TimeEstimateOptions.FromConfiguration(Settings());
        Assert.Equal(("datasets", "telemetry", "durations/", 3),
            (options.DatasetsContainer, options.DurationsContainer, options.DurationsPrefix, options.Days));
        Assert.Equal(TimeSpan.FromSeconds(60), options.RefreshInterval);
        Assert.Equal("durations/2026-11-21.jsonl", options.DurationsBlob(new DateOnly(2026, 11, 21)));
        Assert.Equal("durations/2026-11-21-2.jsonl", options.DurationsBlob(new DateOnly(2026, 11, 21), 2));
    }

    [Theory]
    [InlineData("durations", "durations/")]
    [InlineData("/logs/durations/", "logs/durations/")]
    [InlineData("", "")]
    public void ThePrefixEndsWithASlash(string setting, string expected) =>
        Assert.Equal(expected, TimeEstimateOptions.FromConfiguration(Settings(("DURATIONS_PREFIX", setting))).DurationsPrefix);

    [Theory]
    [InlineData("durations/2026-11-21.jsonl", "2026-11-21")]
    [InlineData("durations/2026-11-21-3.jsonl", "2026-11-21")]
    [InlineData("durations/2026-11-21.json", null)]
    [InlineData("durations/2026-13-21.jsonl", null)]
    [InlineData("durations/2026-11-21-x.jsonl", null)]
    [InlineData("other/2026-11-21.jsonl", null)]
    public void OnlyDayLogsHaveADay(string name, string? day) =>
        Assert.Equal(day is null ? null : DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), new TimeEstimateOptions().DayOfBlob(name));

    [Theory]
    [InlineData("TIME_ESTIMATE_DAYS", "0", "TIME_ESTIMATE_DAYS is '0'")]
    [InlineData("TIME_ESTIMATE_DAYS", "three", "TIME_ESTIMATE_DAYS is 'three'")]
    [InlineData("TIME_ESTIMATE_REFRESH_SECONDS", "-1", "TIME_ESTIMATE_REFRESH_SECONDS is '-1'")]
    [InlineData("DURATIONS_CONTAINER", "Telemetry", "DURATIONS_CONTAINER is 'Telemetry'")]
    [InlineData("DATASETS_CONTAINER", "ab", "DATASETS_CONTAINER is 'ab'")]
    public void BadSettingsAreNamedWithWhatIsAllowed(string setting, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TimeEstimateOptions.FromConfiguration(Settings((setting, value))));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageIsTheConnectionStringThenTheAccountUrlThenAFolder()
    {
        Assert.Equal(StorageKind.ConnectionString,
            StorageSettings.FromConfiguration(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("STORAGE_ACCOUNT_URL", "https://a.blob.core.windows.net"))).Kind);
        var byUrl = StorageSettings.FromConfiguration(Settings(("STORAGE_ACCOUNT_URL", "https://a.blob.core.windows.net"), ("AZURE_CLIENT_ID", "abc")));
        Assert.Equal((StorageKind.AccountUrl, "abc"), (byUrl.Kind, byUrl.ClientId));
        Assert.IsType<HttpBlobStore>(byUrl.CreateStore(new ListLogger<TimeEstimateOptionsTests>()));
        var folder = StorageSettings.FromConfiguration(Settings(("DATASET_PATH", "/data/sids"), ("LOCAL_STORAGE_PATH", "/tmp/x")));
        Assert.Equal((StorageKind.Folder, "/data/sids", "/tmp/x"), (folder.Kind, folder.DatasetFolder, folder.LocalRoot));
        Assert.Null(StorageSettings.FromConfiguration(Settings(("DATASET_PATH", "blob://datasets"))).DatasetFolder);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "AccountName=a", "AzureWebJobsStorage: The storage connection string has neither")]
    [InlineData("STORAGE_ACCOUNT_URL", "http://a.blob.core.windows.net", "STORAGE_ACCOUNT_URL must be an https")]
    public void BadStorageSettingsAreNamed(string setting, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageSettings.FromConfiguration(Settings((setting, value))));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
