using SidsFunctions.Hosting;
using SidsFunctions.AggregateTimeEstimates;
using SidsFunctions.Platform;
using SidsFunctions.SurveyCluster;

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
        _ = configuration;
    }

    public static void Map(IEndpointRouteBuilder app, ModelSelection models)
    {
        app.MapPlatform();
        app.MapAggregateTimeEstimates();
        if (models.IsEnabled(ModelSelection.SurveyCluster))
        {
            app.MapSurveyCluster();
        }
    }
}
