using SidsFunctions.CountryCorrelation;
using SidsFunctions.Hosting;
using SidsFunctions.Platform;
using SidsFunctions.StatImpute;
using SidsFunctions.TimeEstimates;
using SidsFunctions.TwoLevelImputation;

namespace SidsFunctions;

/// <summary>
/// The services of the app's functions. Each model is a folder holding its function class (its
/// <c>[Function]</c> methods, which the Worker SDK lists in functions.metadata); a new model adds its
/// folder and, when it has services, one line here.
/// </summary>
public static class Functions
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<ParamsDocument>();
        services.AddSingleton<OpenApiDocumentBuilder>();
        services.AddSingleton<SwaggerUi>();
        services.AddTimeEstimates();
        services.AddTwoLevelImputation();
        services.AddStatImpute();
        services.AddCountryCorrelation();
    }
}
