using SidsFunctions.AggregateTimeEstimates;
using SidsFunctions.CountryCorrelation;
using SidsFunctions.Hosting;
using SidsFunctions.Platform;
using SidsFunctions.StatImpute;
using SidsFunctions.SurveyCluster;
using SidsFunctions.TimeEstimates;
using SidsFunctions.TwoLevelImputation;

namespace SidsFunctions;

/// <summary>
/// The functions of the app: each is a folder holding its function.json (what the Functions host routes
/// to it) and its endpoints. A new model adds its folder and one line in each method here.
/// </summary>
public static class Functions
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<ParamsDocument>();
        services.AddTimeEstimates();
        services.AddTwoLevelImputation();
        services.AddStatImpute();
        services.AddCountryCorrelation();
    }

    public static void Map(IEndpointRouteBuilder app, ModelSelection models)
    {
        app.MapPlatform();
        app.MapAggregateTimeEstimates();
        app.MapLocalTimerInvocation(AggregateTimeEstimatesFunction.Name);
        if (models.IsEnabled(ModelSelection.TwoLevelImputation))
        {
            app.MapTwoLevelImputation();
        }
        if (models.IsEnabled(ModelSelection.CountryCorrelation))
        {
            app.MapCountryCorrelation();
        }
        if (models.IsEnabled(ModelSelection.StatImpute))
        {
            app.MapStatImpute();
        }
        if (models.IsEnabled(ModelSelection.SurveyCluster))
        {
            app.MapSurveyCluster();
        }
    }
}
