using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using SidsFunctions.Hosting;

// The SIDS ML backend: an Azure Functions app on the .NET isolated worker, with ASP.NET Core integration.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddSidsFunctions();
builder.Build().Run();
