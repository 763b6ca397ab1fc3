using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using SidsModels.Common;
using SidsFunctions.Hosting.Errors;
using SidsFunctions.Storage;

namespace SidsFunctions.Hosting;

/// <summary>Registration and the worker middleware every HTTP function runs through.</summary>
public static class HostingExtensions
{
    public static FunctionsApplicationBuilder AddSidsFunctions(this FunctionsApplicationBuilder builder)
    {
        // Settings are read from the final configuration when services are built.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
        {
            kestrel.AddServerHeader = false;
            // The app's own limit (MAX_REQUEST_BODY_BYTES) is the request binder's, answered 413 with a JSON body.
            // Kestrel's stays above it, at the Functions host's (100 MB): a body the app refused is then read to
            // its end, so the host, still forwarding it, gets the 413 rather than a closed connection.
            kestrel.Limits.MaxRequestBodySize = Math.Max(RequestLimits.FromConfiguration(configuration).MaxBodyBytes, RequestLimits.HostMaxBodyBytes);
        });
        builder.Services.ConfigureHttpJsonOptions(o => SidsJson.Configure(o.SerializerOptions));
        builder.Services.AddSingleton(sp => RequestLimits.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton(sp => ModelSelection.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<FunctionCatalog>();
        builder.Services.AddSidsStorage();
        builder.Services.AddSingleton<IDatasetSource>(services => DatasetSources.Create(services.GetRequiredService<IConfiguration>(), services));
        builder.Services.AddSingleton<DatasetProvider>();
        builder.Services.AddHostedService<DatasetStartup>();
        builder.Services.AddSidsCors();
        builder.Services.AddSingleton<ComputeGate>();
        builder.Services.AddSingleton(sp => new SingleFlightCache<byte[]>(sp.GetRequiredService<IConfiguration>().GetValue(SettingNames.PredictionCacheEntries, 256)));
        builder.AddSidsTelemetry();
        Functions.AddServices(builder.Services);

        // Outermost first. Each answers by setting the invocation's result (or, for a preflight, the response)
        // and returning, so the host's invocation always completes.
        builder.UseWhen<RequestLoggingMiddleware>(IsHttp);
        builder.UseWhen<SecurityHeadersMiddleware>(IsHttp);
        builder.UseWhen<ErrorHandlingMiddleware>(IsHttp);
        builder.UseWhen<CorsMiddleware>(IsHttp);
        builder.UseWhen<RateLimitingMiddleware>(IsHttp);
        builder.UseWhen<ModelSelectionMiddleware>(IsHttp);
        return builder;
    }

    private static bool IsHttp(FunctionContext context) => context.GetHttpContext() is not null;
}
