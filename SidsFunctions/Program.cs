using SidsFunctions.Hosting;

// The SIDS ML backend: an Azure Functions custom handler (an ASP.NET Core server the Functions host
// starts and forwards HTTP requests to), which also runs alone with `dotnet run`.
var builder = WebApplication.CreateBuilder(args);
builder.AddSidsFunctions();
var app = builder.Build();
try
{
    app.UseSidsFunctions();
}
catch (DatasetUnavailableException e)
{
    // A missing or corrupt dataset stops start-up with the file and line at fault, not a stack trace.
    app.Logger.LogCritical("{Message}", e.Message);
    Console.Error.WriteLine(e.Message);
    return 1;
}
app.Run();
return 0;

public partial class Program;
