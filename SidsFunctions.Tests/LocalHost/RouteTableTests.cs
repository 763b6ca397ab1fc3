using SidsFunctions.LocalHost;

namespace SidsFunctions.Tests.LocalHost;

public sealed class RouteTableTests
{
    private static FunctionDescription Http(string name, string? route, params string[] methods) =>
        new(name, name + "-id", TriggerKind.Http, "req", "httpTrigger", route, methods, null, false);

    private static readonly FunctionDescription[] App =
    [
        Http("CatchAll", "{*path}", "GET"),
        Http("Hello", "hello/{name}", "GET", "POST"),
        Http("HelloWorld", "hello/world", "GET"),
        Http("Status", "status/{code:int}", "GET"),
        Http("Item", "items/{id?}", "GET"),
        Http("Any", "any"),
        Http("Predict", "twolvlImp/predict", "POST"),
        new("Tick", "t", TriggerKind.Timer, "timer", "timerTrigger", null, [], "%S%", false),
    ];

    [Theory]
    [InlineData("GET", "/hello/world", "HelloWorld")]   // a literal segment beats a parameter
    [InlineData("GET", "/hello/bob", "Hello")]          // a parameter beats a catch-all
    [InlineData("POST", "/hello/world", "Hello")]       // HelloWorld is GET only
    [InlineData("GET", "/status/404", "Status")]
    [InlineData("GET", "/status/abc", "CatchAll")]      // the int constraint rejects it
    [InlineData("GET", "/items", "Item")]
    [InlineData("GET", "/items/7", "Item")]
    [InlineData("DELETE", "/any", "Any")]               // no methods = every method
    [InlineData("GET", "/TWOLVLIMP/predict", "CatchAll")]
    [InlineData("POST", "/TWOLVLIMP/PREDICT", "Predict")] // literals match case-insensitively
    [InlineData("GET", "/", "CatchAll")]
    [InlineData("GET", "/a/b/c", "CatchAll")]
    public void MostSpecificRouteWithTheMethodWins(string method, string path, string expected)
    {
        var table = new RouteTable(App, "");
        Assert.Equal(expected, table.Match(method, path)?.Function.Name);
    }

    [Theory]
    [InlineData("POST", "/a/b")]
    [InlineData("PUT", "/hello/bob")]
    [InlineData("GET", "/twolvlImp/predict/extra/x")]
    public void NoMatchIsNull(string method, string path)
    {
        var table = new RouteTable(App.Where(f => f.Name != "CatchAll"), "");
        if (path.StartsWith("/twolvlImp", StringComparison.Ordinal)) Assert.Null(table.Match("POST", path));
        else Assert.Null(table.Match(method, path));
    }

    [Fact]
    public void RouteValuesAreExtracted()
    {
        var table = new RouteTable(App, "");
        var m = table.Match("GET", "/hello/bob")!;
        Assert.Equal("bob", m.Values["name"]);
        Assert.Equal("x/y", table.Match("GET", "/x/y")!.Values["path"]);
    }

    [Fact]
    public void PrefixDefaultsToApiAndAnEmptyPrefixHasNone()
    {
        var withApi = new RouteTable(App, FunctionApp.DefaultRoutePrefix);
        Assert.Equal("Hello", withApi.Match("GET", "/api/hello/bob")?.Function.Name);
        Assert.Equal("CatchAll", withApi.Match("GET", "/api/hello/x/y")?.Function.Name);
        Assert.Null(withApi.Match("GET", "/hello/bob"));
        Assert.Equal("api/hello/{name}", RouteTable.Combine("api", "/hello/{name}"));
        Assert.Equal("hello/{name}", RouteTable.Combine("", "hello/{name}"));
    }

    [Fact]
    public void ARouteDefaultsToTheFunctionName()
    {
        var f = FunctionDescription.FromMetadata("Ping", "1", ["""{"name":"req","type":"httpTrigger","direction":"In","methods":["get"]}"""]);
        Assert.Equal("Ping", new RouteTable([f], "api").Match("GET", "/api/Ping")?.Function.Name);
    }

    [Theory]
    [InlineData("GET", "/", "Root")]
    [InlineData("GET", "/params", "Params")]
    [InlineData("GET", "/docs/index.html", "SwaggerUi")]
    [InlineData("GET", "/x", "Fallback")]
    [InlineData("PUT", "/params", "Fallback")]
    [InlineData("POST", "/", "Fallback")]
    public void TheAppsRootRegexDocsAndFallbackRoutes(string method, string path, string expected)
    {
        var table = new RouteTable(
        [
            Http("Root", "{root:regex(^$)?}", "GET"),
            Http("Params", "params", "GET"),
            Http("SwaggerUi", "docs/{*file}", "GET"),
            Http("Fallback", "{*path}", "GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD"),
        ], "");
        Assert.Equal(expected, table.Match(method, path)?.Function.Name);
    }

    [Fact]
    public void AnInvalidTemplateIsAnErrorNamingTheFunction()
    {
        var ex = Assert.Throws<HostStartupException>(() => new RouteTable([Http("Broken", "a/{", "GET")], ""));
        Assert.Contains("Broken", ex.Message);
    }

    [Fact]
    public void TriggersAreReadFromRawBindings()
    {
        var http = FunctionDescription.FromMetadata("Hello", "1",
        [
            """{"name":"req","type":"httpTrigger","direction":"In","authLevel":"Anonymous","methods":["get","post"],"route":"hello/{name}"}""",
            """{"name":"$return","type":"http","direction":"Out"}""",
        ]);
        Assert.Equal(TriggerKind.Http, http.Kind);
        Assert.Equal(["GET", "POST"], http.Methods);
        Assert.Equal("hello/{name}", http.Route);
        Assert.Equal("req", http.TriggerName);

        var timer = FunctionDescription.FromMetadata("Tick", "2", ["""{"name":"timer","type":"timerTrigger","direction":"In","schedule":"%SCHEDULE%","runOnStartup":true}"""]);
        Assert.Equal(TriggerKind.Timer, timer.Kind);
        Assert.Equal("%SCHEDULE%", timer.Schedule);
        Assert.True(timer.RunOnStartup);
        Assert.Equal("timer", timer.TriggerName);

        var queue = FunctionDescription.FromMetadata("Q", "3", ["""{"name":"msg","type":"queueTrigger","direction":"In","queueName":"q"}"""]);
        Assert.Equal(TriggerKind.Other, queue.Kind);
    }
}
