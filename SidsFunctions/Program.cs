using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using SidsFunctions.Hosting;

// The SIDS ML backend: an Azure Functions app on the .NET isolated worker, with ASP.NET Core integration.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddSidsFunctions();
var app = builder.Build();
// The dataset and the models' first runs, before the worker connects to the Functions host and takes requests.
await app.WarmUpAsync();
await app.RunAsync();
