using Microsoft.ApplicationInsights;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SidsFunctions.Hosting;

namespace SidsFunctions.Tests.Platform;

/// <summary>Application Insights is used when a connection string is configured, and only then.</summary>
public sealed class TelemetryTests
{
    private static WebApplication Build(string? connectionString)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.ApplicationInsights] = connectionString });
        builder.AddSidsTelemetry();
        return builder.Build();
    }

    [Fact]
    public async Task WithAConnectionStringMetricsGoToApplicationInsights()
    {
        await using var app = Build("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/");
        Assert.NotNull(app.Services.GetService<TelemetryClient>());
        app.Services.GetRequiredService<Metrics>().Track("PredictSeconds", 0.5, "scheme", "AFS"); // aggregated, sent later
    }

    [Fact]
    public async Task WithoutOneNothingIsRegistered()
    {
        await using var app = Build(null);
        Assert.Null(app.Services.GetService<TelemetryClient>());
        app.Services.GetRequiredService<Metrics>().Track("PredictSeconds", 0.5);
    }
}
