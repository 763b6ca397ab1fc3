using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SidsFunctions.LocalHost;

/// <summary>A matched HTTP function and its route values.</summary>
internal sealed record RouteMatch(FunctionDescription Function, RouteValueDictionary Values);

/// <summary>
/// Routes a request to an HTTP-triggered function as the Functions host does: ASP.NET Core route templates
/// (with inline constraints such as <c>{id:int}</c>), tried in route precedence order (literal segments before
/// parameters before catch-all), filtered by the trigger's methods. No match is a 404.
/// </summary>
internal sealed class RouteTable
{
    private sealed record Entry(FunctionDescription Function, string Template, TemplateMatcher Matcher,
        IReadOnlyList<(string Parameter, IRouteConstraint Constraint)> Constraints, decimal Precedence);

    private readonly Entry[] _entries;

    public RouteTable(IEnumerable<FunctionDescription> functions, string routePrefix)
    {
        var routeOptions = new RouteOptions();
        // The full set of inline constraints, regex included (AddRouting registers it; the default map only has a stub).
        routeOptions.SetParameterPolicy<RegexInlineRouteConstraint>("regex");
        var resolver = new DefaultInlineConstraintResolver(Options.Create(routeOptions), new ServiceCollection().BuildServiceProvider());
        var entries = new List<Entry>();
        foreach (var f in functions.Where(f => f.Kind == TriggerKind.Http))
        {
            string template = Combine(routePrefix, f.Route ?? f.Name);
            RouteTemplate parsed;
            try
            {
                parsed = TemplateParser.Parse(template);
            }
            catch (ArgumentException ex)
            {
                throw new HostStartupException($"Function '{f.Name}': route '{template}' is not a valid route template: {ex.Message}");
            }
            var defaults = new RouteValueDictionary();
            foreach (var p in parsed.Parameters)
            {
                if (p.DefaultValue is not null) defaults[p.Name!] = p.DefaultValue;
            }
            var constraints = new List<(string, IRouteConstraint)>();
            foreach (var p in parsed.Parameters)
            {
                foreach (var c in p.InlineConstraints)
                {
                    IRouteConstraint? constraint;
                    try
                    {
                        constraint = resolver.ResolveConstraint(c.Constraint);
                    }
                    catch (Exception ex) when (ex is RouteCreationException or InvalidOperationException or ArgumentException)
                    {
                        throw new HostStartupException($"Function '{f.Name}': route '{template}' has an invalid constraint '{c.Constraint}': {ex.Message}");
                    }
                    if (constraint is null)
                        throw new HostStartupException($"Function '{f.Name}': route '{template}' uses an unknown constraint '{c.Constraint}'.");
                    constraints.Add((p.Name!, p.IsOptional ? new OptionalRouteConstraint(constraint) : constraint));
                }
            }
            entries.Add(new Entry(f, template, new TemplateMatcher(parsed, defaults), constraints, RoutePrecedence.ComputeInbound(parsed)));
        }
        // Lower precedence value = more specific; ties broken by template text for a stable order.
        _entries = [.. entries.OrderBy(e => e.Precedence).ThenBy(e => e.Template, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Full route template (prefix + route), as listed at start-up.</summary>
    public static string Combine(string routePrefix, string route)
    {
        string prefix = routePrefix.Trim('/');
        string r = route.Trim('/');
        return prefix.Length == 0 ? r : r.Length == 0 ? prefix : prefix + "/" + r;
    }

    /// <summary>The templates in the order they are tried.</summary>
    public IEnumerable<(FunctionDescription Function, string Template)> Routes => _entries.Select(e => (e.Function, e.Template));

    /// <summary>The first function whose template, constraints and methods accept the request; null = 404.</summary>
    public RouteMatch? Match(string method, string path)
    {
        if (path.Length == 0) path = "/";
        RouteValueDictionary? values = null;
        foreach (var e in _entries)
        {
            if (e.Function.Methods.Count > 0 && !e.Function.Methods.Contains(method, StringComparer.OrdinalIgnoreCase)) continue;
            // One dictionary per request, cleared after a candidate that did not match.
            if (values is null) values = new RouteValueDictionary(); else values.Clear();
            if (!e.Matcher.TryMatch(path, values)) continue;
            bool ok = true;
            foreach (var (parameter, constraint) in e.Constraints)
            {
                if (!constraint.Match(null, null, parameter, values, RouteDirection.IncomingRequest))
                {
                    ok = false;
                    break;
                }
            }
            if (ok) return new RouteMatch(e.Function, values);
        }
        return null;
    }
}
