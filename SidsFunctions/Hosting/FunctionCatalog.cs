using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace SidsFunctions.Hosting;

/// <summary>One HTTP function, read from its <c>[Function]</c> method, <c>[HttpTrigger]</c> and this app's attributes.</summary>
public sealed class HttpFunction
{
    private readonly TemplateMatcher matcher;
    private readonly IReadOnlyList<(string Parameter, Regex Pattern)> constraints;

    public HttpFunction(string name, string route, IReadOnlyList<string> methods, MethodInfo method, FunctionGroupAttribute group)
    {
        Name = name;
        Route = route;
        Methods = methods;
        Method = method;
        Group = group;
        var pattern = RoutePatternFactory.Parse(route);
        matcher = new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary(pattern.Defaults));
        constraints = pattern.Parameters
            .SelectMany(p => p.ParameterPolicies.Select(policy => (p.Name, policy.Content)))
            .Where(c => c.Content?.StartsWith("regex(", StringComparison.Ordinal) == true)
            .Select(c => (c.Name, new Regex(c.Content!["regex(".Length..^1], RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)))
            .ToArray();
    }

    public string Name { get; }

    /// <summary>The route template as the host routes it (no leading slash, no prefix).</summary>
    public string Route { get; }

    /// <summary>Upper-case HTTP methods.</summary>
    public IReadOnlyList<string> Methods { get; }

    public MethodInfo Method { get; }

    public FunctionGroupAttribute Group { get; }

    /// <summary>The path as the OpenAPI document and /params name it ("/twolvlImp/predict", "/").</summary>
    public string Path => "/" + (Route.StartsWith('{') ? "" : Route);

    public bool IsDocumented => Method.GetCustomAttribute<UndocumentedAttribute>() is null;

    public BindsAttribute? Binds => Method.GetCustomAttribute<BindsAttribute>();

    public MainEndpointAttribute? Main => Method.GetCustomAttribute<MainEndpointAttribute>();

    /// <summary>Whether the host would route <paramref name="path"/> to this function (whatever the method).</summary>
    public bool Matches(string path)
    {
        var values = new RouteValueDictionary();
        if (!matcher.TryMatch(path, values))
        {
            return false;
        }
        return constraints.All(c => values.TryGetValue(c.Parameter, out var value) && value is not null
            ? c.Pattern.IsMatch(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!)
            : c.Pattern.IsMatch(""));
    }
}

/// <summary>
/// The app's functions, read once by reflection over the <c>[Function]</c> methods of this assembly: what the
/// OpenAPI document, /params, the method check and <c>MODEL_SERVICE</c> work from — the same attributes the
/// Worker SDK turns into functions.metadata.
/// </summary>
public sealed class FunctionCatalog
{
    public FunctionCatalog(ModelSelection models)
    {
        Http = Read(typeof(FunctionCatalog).Assembly)
            .Where(f => f.Group.Model is null || models.IsEnabled(f.Group.Model))
            .ToArray();
        ByName = Read(typeof(FunctionCatalog).Assembly).ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>The HTTP functions this deployment serves, in declaration order (platform first).</summary>
    public IReadOnlyList<HttpFunction> Http { get; }

    /// <summary>Every HTTP function of the app, served or not, by name.</summary>
    public IReadOnlyDictionary<string, HttpFunction> ByName { get; }

    /// <summary>The methods the served functions accept on <paramref name="path"/> (empty: no function has the path).</summary>
    public IReadOnlyList<string> MethodsOn(string path, Func<HttpFunction, bool>? which = null) => Http
        .Where(f => (which is null || which(f)) && f.Matches(path))
        .SelectMany(f => f.Methods)
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    private static readonly string[] GroupOrder = ["", "twolvlImp", "CountryCorrelation", "Statimpute", "SurveyCluster"];

    public static IReadOnlyList<HttpFunction> Read(Assembly assembly)
    {
        var functions = new List<HttpFunction>();
        var types = assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<FunctionGroupAttribute>() is not null)
            .OrderBy(t => Array.IndexOf(GroupOrder, t.GetCustomAttribute<FunctionGroupAttribute>()!.Model ?? ""))
            .ThenBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            var group = type.GetCustomAttribute<FunctionGroupAttribute>()!;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                         .OrderBy(m => m.MetadataToken))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }
                var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().FirstOrDefault();
                if (trigger is null)
                {
                    continue;
                }
                var methods = (trigger.Methods ?? []).Select(m => m.ToUpperInvariant()).ToArray();
                functions.Add(new HttpFunction(function.Name, trigger.Route ?? function.Name, methods, method, group));
            }
        }
        return functions;
    }
}
