using System.Globalization;
using SidsModels.Common;
using SidsFunctions.Hosting.Errors;
using SidsFunctions.Storage;

namespace SidsFunctions.Hosting;

/// <summary>Registration and the request pipeline of the custom handler.</summary>
public static class HostingExtensions
{
    /// <summary>The port of <c>func start</c>: the handler's own when the Functions host does not name one.</summary>
    public const int DefaultPort = 7071;

    public static WebApplicationBuilder AddSidsFunctions(this WebApplicationBuilder builder)
    {
        // Settings are read from the final configuration when services are built (tests add theirs late).
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestLimits.FromConfiguration(context.Configuration).MaxBodyBytes;
            // Under the Functions host (or `dotnet run`), listen where the host forwards: loopback only.
            if (ListenPort(context.Configuration) is { } port)
            {
                kestrel.ListenLocalhost(port);
            }
        });

        builder.Services.ConfigureHttpJsonOptions(o => SidsJson.Configure(o.SerializerOptions));
        builder.Services.AddSingleton(sp => RequestLimits.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(sp => ModelSelection.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSidsStorage();
        builder.Services.AddSingleton<IDatasetSource>(services => DatasetSources.Create(services.GetRequiredService<IConfiguration>(), services));
        builder.Services.AddSingleton<DatasetProvider>();
        builder.Services.AddHostedService<DatasetStartup>();
        builder.Services.AddSidsCors();
        builder.Services.AddSidsRateLimiting();
        builder.Services.AddSingleton<ComputeGate>();
        builder.Services.AddSingleton(sp => new SingleFlightCache<byte[]>(sp.GetRequiredService<IConfiguration>().GetValue(SettingNames.PredictionCacheEntries, 256)));
        builder.Services.AddSidsOpenApi();
        builder.AddSidsTelemetry();
        Functions.AddServices(builder.Services);
        return builder;
    }

    /// <summary>
    /// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> when the host sets it; else 7071 unless URLs were configured
    /// explicitly (ASPNETCORE_URLS, --urls); null leaves Kestrel to those URLs.
    /// </summary>
    private static int? ListenPort(IConfiguration configuration)
    {
        var port = configuration[SettingNames.CustomHandlerPort];
        if (!string.IsNullOrWhiteSpace(port))
        {
            return int.Parse(port, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        return string.IsNullOrWhiteSpace(configuration["urls"]) ? DefaultPort : null;
    }

    public static WebApplication UseSidsFunctions(this WebApplication app)
    {
        app.Services.GetRequiredService<DatasetProvider>().StartLoading();

        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<RequestTimingMiddleware>();
        app.UseSecurityHeaders();
        app.UseStatusCodePages(context => ErrorHandlingMiddleware.WriteStatusBodyAsync(context.HttpContext));
        app.UseMethodFilter();
        app.UseSidsOpenApiUi();
        app.UseRouting();
        app.UseCors();
        app.UseRateLimiter();
        Functions.Map(app, app.Services.GetRequiredService<ModelSelection>());
        return app;
    }
}
