using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SidsFunctions.Hosting;

namespace SidsFunctions.Tests.Platform;

/// <summary>Application Insights through the worker's integration: the connection string configures it; without one nothing is sent.</summary>
public sealed class TelemetryTests
{
    private static IHost Build(string? connectionString)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.ApplicationInsights] = connectionString });
        builder.AddSidsTelemetry();
        return builder.Build();
    }

    [Fact]
    public void WithAConnectionStringMetricsGoToApplicationInsights()
    {
        using var app = Build("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/");
        Assert.NotNull(app.Services.GetService<TelemetryClient>());
        Assert.Equal("00000000-0000-0000-0000-000000000000", app.Services.GetRequiredService<TelemetryConfiguration>().InstrumentationKey);
        app.Services.GetRequiredService<Metrics>().Track("PredictSeconds", 0.5, "scheme", "AFS"); // aggregated, sent later
    }

    [Fact]
    public void WithoutOneNothingIsSent()
    {
        using var app = Build(null);
        // Not even registered: unconfigured, Application Insights would collect and buffer for nobody.
        Assert.Null(app.Services.GetService<TelemetryConfiguration>());
        Assert.Null(app.Services.GetService<Microsoft.ApplicationInsights.TelemetryClient>());
        app.Services.GetRequiredService<Metrics>().Track("PredictSeconds", 0.5);
    }
}
