using SidsFunctions.Hosting;

// The SIDS ML backend: an Azure Functions custom handler (an ASP.NET Core server the Functions host
// starts and forwards HTTP requests to), which also runs alone with `dotnet run`.
var builder = WebApplication.CreateBuilder(args);
builder.AddSidsFunctions();
var app = builder.Build();
app.UseSidsFunctions();
app.Run();

public partial class Program;
