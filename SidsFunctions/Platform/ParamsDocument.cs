using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.Platform;

/// <summary>
/// GET /params: for each model, the inputs of its main endpoint, generated from the endpoints' request
/// records (labels, descriptions, types, enum values and labels, the endpoint listing a field's allowed
/// values with that endpoint's own inputs, and required / required_if conditions), in the Python
/// backend's shape, which the platform frontend builds its forms from.
/// </summary>
public sealed class ParamsDocument(EndpointDataSource endpoints)
{
    private JsonArray? document;

    public JsonArray Build()
    {
        var built = document ??= Create();
        return (JsonArray)built.DeepClone();
    }

    private JsonArray Create()
    {
        var routes = endpoints.Endpoints.OfType<RouteEndpoint>().ToArray();
        var result = new JsonArray();
        foreach (var endpoint in routes)
        {
            if (endpoint.Metadata.GetMetadata<MainEndpointMetadata>() is not { } main)
            {
                continue;
            }
            var model = new JsonObject { ["model"] = main.Model, ["label"] = main.Label };
            if (endpoint.Metadata.GetMetadata<SidsRequestMetadata>() is { } request)
            {
                var path = "/" + endpoint.RoutePattern.RawText!.Trim('/');
                model["inputs"] = Inputs(request, main.Prefix, routes, new HashSet<string> { path });
            }
            result.Add(model);
        }
        return result;
    }

    // expanding: the endpoints being described, outermost first; a field pointing back at one of them
    // (statimpute's d names /impute itself) gets its endpoint only, as the Python backend answered.
    private static JsonArray Inputs(SidsRequestMetadata request, string prefix, RouteEndpoint[] routes, IReadOnlySet<string> expanding)
    {
        var inputs = new JsonArray();
        foreach (var field in RequestShape.Of(request.RequestType).Fields)
        {
            inputs.Add(request.Source == RequestSource.Query ? QueryInput(field) : BodyInput(field, prefix, routes, expanding));
        }
        return inputs;
    }

    private static JsonObject BodyInput(FieldSpec field, string prefix, RouteEndpoint[] routes, IReadOnlySet<string> expanding)
    {
        var input = new JsonObject { ["parameter"] = field.Name, ["label"] = field.Label ?? field.Name };
        if (field.Description is not null)
        {
            input["description"] = field.Description;
        }
        input["type"] = field.Kind switch
        {
            FieldKind.Enum => "enum",
            FieldKind.Integer => "integer",
            FieldKind.Number => "number",
            FieldKind.Boolean => "boolean",
            FieldKind.StringList or FieldKind.IntegerList or FieldKind.NumberList => "array",
            FieldKind.Json => "object",
            _ => "string",
        };
        if (field.Enum is { } values)
        {
            var labels = new JsonObject();
            for (var i = 0; i < values.Names.Count; i++)
            {
                labels[values.Names[i]] = values.Labels[i];
            }
            input["values"] = labels;
        }
        if (field.ReqEndpoint is { } path)
        {
            var listing = new JsonObject { ["endpoint"] = path };
            var target = routes.FirstOrDefault(r => string.Equals("/" + r.RoutePattern.RawText?.Trim('/'), prefix + path, StringComparison.Ordinal)
                                                    && r.Metadata.GetMetadata<SidsRequestMetadata>() is not null);
            if (target is not null && !expanding.Contains(prefix + path))
            {
                listing["method"] = target.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
                listing["inputs"] = Inputs(target.Metadata.GetMetadata<SidsRequestMetadata>()!, prefix, routes,
                    new HashSet<string>(expanding) { prefix + path });
            }
            else if (!expanding.Contains(prefix + path) && routes.FirstOrDefault(r => "/" + r.RoutePattern.RawText?.Trim('/') == prefix + path) is { } plain)
            {
                listing["method"] = plain.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
                listing["inputs"] = new JsonArray();
            }
            input["req_endpoint"] = listing;
        }
        if (Conditions(field) is { } conditions)
        {
            input["conditions"] = conditions;
        }
        return input;
    }

    // Query inputs as FastAPI described them: the Python type name, no label.
    private static JsonObject QueryInput(FieldSpec field)
    {
        var input = new JsonObject
        {
            ["parameter"] = field.Name,
            ["type"] = field.Kind switch
            {
                FieldKind.Integer => "int",
                FieldKind.Number => "float",
                FieldKind.Boolean => "bool",
                _ => "str",
            },
        };
        if (Conditions(field) is { } conditions)
        {
            input["conditions"] = conditions;
        }
        return input;
    }

    private static JsonArray? Conditions(FieldSpec field)
    {
        if (field.Required)
        {
            return [new JsonObject { ["required"] = true }];
        }
        if (field.RequiredIf.Count > 0)
        {
            var when = new JsonArray();
            foreach (var condition in field.RequiredIf)
            {
                when.Add(new JsonObject { [condition.Field] = condition.Value });
            }
            return [new JsonObject { ["required"] = when }];
        }
        return null;
    }
}
