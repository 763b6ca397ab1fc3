using SidsFunctions.Hosting;
using SidsFunctions.AggregateTimeEstimates;
using SidsFunctions.Platform;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions;

/// <summary>
/// The functions of the app: each is a folder holding its function.json (what the Functions host routes
/// to it) and its endpoints. A new model adds its folder and one line in each method here.
/// </summary>
public static class Functions
{
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ParamsDocument>();
        services.AddTimeEstimates();
        _ = configuration;
    }

    public static void Map(IEndpointRouteBuilder app, ModelSelection models)
    {
        app.MapPlatform();
        app.MapAggregateTimeEstimates();
        _ = models;
    }
}
