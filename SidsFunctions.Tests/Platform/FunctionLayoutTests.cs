using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>
/// The app as the Functions host sees it: host.json names the handler and forwards HTTP requests, every
/// route the app maps is reachable through some function.json route (matched with ASP.NET Core's route
/// templates, as the host matches them), and every function.json has a handler.
/// </summary>
public sealed class FunctionLayoutTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private sealed record FunctionDefinition(string Name, JsonObject Trigger)
    {
        public string? Route => Trigger["route"]?.GetValue<string>();

        public string Type => Trigger["type"]!.GetValue<string>();
    }

    private static IReadOnlyList<FunctionDefinition> Definitions() =>
        Directory.EnumerateFiles(Repository.PathOf("SidsFunctions"), "function.json", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => new FunctionDefinition(
                Path.GetFileName(Path.GetDirectoryName(p)!),
                JsonNode.Parse(File.ReadAllText(p))!["bindings"]!.AsArray().Select(b => b!.AsObject())
                    .Single(b => b["direction"]?.GetValue<string>() == "in" && b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))))
            .ToArray();

    // The paths the app answers: its endpoints (parameters filled in) and the Swagger UI middleware.
    private IReadOnlyList<(string Path, string Method)> AppPaths()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var paths = new List<(string, string)> { ("/docs", "GET"), ("/docs/index.html", "GET") };
        foreach (var endpoint in endpoints)
        {
            var template = endpoint.RoutePattern.RawText!;
            var path = "/" + string.Join('/', template.Trim('/').Split('/').Select(s => s.Replace("{documentName}", "v1", StringComparison.Ordinal)));
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
            paths.Add((path == "/" ? "/" : path.TrimEnd('/'), method));
        }
        return paths;
    }

    // As the host matches: ASP.NET Core's route template, its defaults (the Platform route's catch-all
    // defaults to "index" so that "/" passes its regex), then the inline regex constraints.
    private static bool Matches(string route, string path)
    {
        var template = TemplateParser.Parse(route);
        var defaults = new RouteValueDictionary();
        foreach (var parameter in template.Parameters.Where(p => p.DefaultValue is not null))
        {
            defaults[parameter.Name!] = parameter.DefaultValue;
        }
        var values = new RouteValueDictionary();
        if (!new TemplateMatcher(template, defaults).TryMatch(path, values))
        {
            return false;
        }
        foreach (var parameter in template.Parameters)
        {
            foreach (var constraint in parameter.InlineConstraints)
            {
                var text = constraint.Constraint;
                if (text.StartsWith("regex(", StringComparison.Ordinal))
                {
                    var regex = new RegexRouteConstraint(text[6..^1]);
                    if (!regex.Match(null, null, parameter.Name!, values, RouteDirection.IncomingRequest))
                    {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    [Fact]
    public void HostJsonDeclaresTheCustomHandlerWithForwardingAndNoRoutePrefix()
    {
        var host = JsonNode.Parse(File.ReadAllText(Repository.PathOf("host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("SidsFunctions", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Fact]
    public void EachModelHasAnHttpFunctionAndTheTimerHasItsFunction()
    {
        var byName = Definitions().ToDictionary(d => d.Name);
        Assert.Equal(["AggregateTimeEstimates", "CountryCorrelation", "Platform", "StatImpute", "SurveyCluster", "TwoLevelImputation"],
            byName.Keys.Order(StringComparer.Ordinal));
        Assert.All(byName.Values.Where(d => d.Name != "AggregateTimeEstimates"), d => Assert.Equal("httpTrigger", d.Type));
        Assert.Equal("timerTrigger", byName["AggregateTimeEstimates"].Type);
    }

    [Fact]
    public void EveryRouteTheAppMapsIsCoveredByAFunctionRoute()
    {
        var httpRoutes = Definitions().Where(d => d.Type == "httpTrigger").Select(d => d.Route!).ToArray();
        var timers = Definitions().Where(d => d.Type != "httpTrigger").Select(d => "/" + d.Name).ToHashSet();
        // /admin/functions/NAME stands in for the host's own admin API when the app runs alone; under the host
        // /admin is the host's and never reaches the app.
        foreach (var (path, _) in AppPaths().Where(p => !timers.Contains(p.Path) && !p.Path.StartsWith("/admin/", StringComparison.Ordinal)))
        {
            var covering = httpRoutes.Where(r => Matches(r, path)).ToArray();
            Assert.True(covering.Length == 1, $"{path} is matched by {covering.Length} function routes ({string.Join(", ", covering)})");
        }
    }

    [Fact]
    public void EveryFunctionHasAHandler()
    {
        var paths = AppPaths();
        foreach (var definition in Definitions())
        {
            if (definition.Type == "httpTrigger")
            {
                Assert.True(paths.Any(p => Matches(definition.Route!, p.Path)), $"no endpoint behind {definition.Name} ({definition.Route})");
                var methods = definition.Trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).ToArray();
                Assert.Equal(["get", "post", "options"], methods);
                Assert.Equal("anonymous", definition.Trigger["authLevel"]!.GetValue<string>());
            }
            else
            {
                // The host invokes other triggers by POSTing to /{function name}.
                Assert.Contains(paths, p => p.Path == "/" + definition.Name && p.Method == "POST");
            }
        }
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/params", true)]
    [InlineData("/docs/index.html", true)]
    [InlineData("/openapi/v1.json", true)]
    [InlineData("/health/ready", true)]
    [InlineData("/twolvlImp/predict", false)]
    [InlineData("/paramsx", false)]
    public void ThePlatformRouteTakesItsPathsOnly(string path, bool expected)
    {
        var platform = Definitions().Single(d => d.Name == "Platform");
        Assert.Equal(expected, Matches(platform.Route!, path));
    }
}
