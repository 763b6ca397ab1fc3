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
        // Hourly, on the hour ("0 0 * * * *").
        Assert.Equal(new DateTime(2026, 1, 1, 1, 0, 0), options.Schedule.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 30, 15)));
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
    [InlineData("TIME_ESTIMATE_SCHEDULE", "0 * * * *", "TIME_ESTIMATE_SCHEDULE is '0 * * * *': not an NCRONTAB schedule of six fields")]
    [InlineData("TIME_ESTIMATE_SCHEDULE", "60 * * * * *", "TIME_ESTIMATE_SCHEDULE is '60 * * * * *': not an NCRONTAB")]
    [InlineData("TIME_ESTIMATE_SCHEDULE", "0 0 0 31 2 *", "TIME_ESTIMATE_SCHEDULE is '0 0 0 31 2 *': it never occurs")]
    [InlineData("TIME_ESTIMATE_REFRESH_SECONDS", "-1", "TIME_ESTIMATE_REFRESH_SECONDS is '-1'")]
    [InlineData("DURATIONS_CONTAINER", "Telemetry", "DURATIONS_CONTAINER is 'Telemetry'")]
    [InlineData("DATASETS_CONTAINER", "ab", "DATASETS_CONTAINER is 'ab'")]
    public void BadSettingsAreNamedWithWhatIsAllowed(string setting, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TimeEstimateOptions.FromConfiguration(Settings((setting, value))));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*/15 * * * * *", "2026-11-21T10:00:07", "2026-11-21T10:00:15")]
    [InlineData("0 0 * * * *", "2026-11-21T11:00:00", "2026-11-21T12:00:00")]
    [InlineData("0 30 9 * * Mon-Fri", "2026-11-21T08:00:00", "2026-11-23T09:30:00")]
    public void TheScheduleIsNcrontabWithSeconds(string expression, string after, string expected)
    {
        static DateTime Utc(string text) => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        var options = TimeEstimateOptions.FromConfiguration(Settings(("TIME_ESTIMATE_SCHEDULE", expression)));
        Assert.Equal(Utc(expected), options.Schedule.GetNextOccurrence(Utc(after)));
    }

    [Fact]
    public void StorageIsTheConnectionStringThenTheIdentityBasedFormThenTheAccountUrlThenAFolder()
    {
        var both = StorageSettings.FromConfiguration(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("STORAGE_ACCOUNT_URL", "https://a.blob.core.windows.net")));
        Assert.Equal(("UseDevelopmentStorage=true", null), (both.ConnectionString, both.AccountUrl));
        Assert.IsType<AzureBlobStore>(both.CreateStore());

        var byUrl = StorageSettings.FromConfiguration(Settings(("STORAGE_ACCOUNT_URL", "https://a.blob.core.windows.net"), ("AZURE_CLIENT_ID", "abc")));
        Assert.Equal((new Uri("https://a.blob.core.windows.net"), "abc"), (byUrl.AccountUrl, byUrl.ClientId));
        Assert.Equal("https://a.blob.core.windows.net", Assert.IsType<AzureBlobStore>(byUrl.CreateStore()).Endpoint);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(byUrl.TokenCredential());

        // The Functions host's identity-based connection (environment: AzureWebJobsStorage__accountName, ...) wins over STORAGE_ACCOUNT_URL.
        var flex = StorageSettings.FromConfiguration(Settings(("AzureWebJobsStorage:accountName", "sidsml"), ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "id-1"), ("STORAGE_ACCOUNT_URL", "https://other.blob.core.windows.net")));
        Assert.Equal((new Uri("https://sidsml.blob.core.windows.net"), "managedidentity", "id-1"), (flex.AccountUrl, flex.Credential, flex.ClientId));
        var uri = StorageSettings.FromConfiguration(Settings(("AzureWebJobsStorage:blobServiceUri", "https://x.blob.core.usgovcloudapi.net"), ("AzureWebJobsStorage:credential", "managedidentity")));
        Assert.Equal((new Uri("https://x.blob.core.usgovcloudapi.net"), null), (uri.AccountUrl, uri.ClientId));
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(uri.TokenCredential());
        Assert.IsType<Azure.Identity.DefaultAzureCredential>(StorageSettings.FromConfiguration(Settings(("AzureWebJobsStorage:accountName", "sidsml"))).TokenCredential());

        var folder = StorageSettings.FromConfiguration(Settings(("DATASET_PATH", "/data/sids"), ("LOCAL_STORAGE_PATH", "/tmp/x")));
        Assert.Equal((null, null, "/data/sids", "/tmp/x"), (folder.ConnectionString, folder.AccountUrl, folder.DatasetFolder, folder.LocalRoot));
        Assert.IsType<FolderBlobStore>(folder.CreateStore());
        Assert.Null(StorageSettings.FromConfiguration(Settings(("DATASET_PATH", "blob://datasets"))).DatasetFolder);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", "AccountName=a", "AzureWebJobsStorage: No valid combination of account information found.")]
    [InlineData("AzureWebJobsStorage", "garbage", "AzureWebJobsStorage: Settings must be of the form")]
    [InlineData("STORAGE_ACCOUNT_URL", "http://a.blob.core.windows.net", "STORAGE_ACCOUNT_URL must be an https")]
    [InlineData("AzureWebJobsStorage:accountName", "Not_An_Account", "AzureWebJobsStorage__accountName is 'Not_An_Account'")]
    [InlineData("AzureWebJobsStorage:blobServiceUri", "http://a.blob.core.windows.net", "AzureWebJobsStorage__blobServiceUri must be an https")]
    public void BadStorageSettingsAreNamed(string setting, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageSettings.FromConfiguration(Settings((setting, value))));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
