using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.Platform;

/// <summary>
/// GET /params: for each model, the inputs of its main endpoint, generated from the functions' request
/// records (labels, descriptions, types, enum values and labels, the endpoint listing a field's allowed
/// values with that endpoint's own inputs, and required / required_if conditions), in the Python
/// backend's shape, which the platform frontend builds its forms from.
/// </summary>
public sealed class ParamsDocument(FunctionCatalog functions)
{
    private JsonArray? document;

    public JsonArray Build()
    {
        var built = document ??= Create();
        return (JsonArray)built.DeepClone();
    }

    private JsonArray Create()
    {
        var routes = functions.Http.ToArray();
        var result = new JsonArray();
        foreach (var function in routes)
        {
            if (function.Main is not { } main)
            {
                continue;
            }
            var model = new JsonObject { ["model"] = function.Group.Model, ["label"] = main.Label };
            if (function.Binds is { } request)
            {
                model["inputs"] = Inputs(request, function.Group.Prefix, routes, new HashSet<string> { function.Path });
            }
            result.Add(model);
        }
        return result;
    }

    // expanding: the endpoints being described, outermost first; a field pointing back at one of them
    // (statimpute's d names /impute itself) gets its endpoint only, as the Python backend answered.
    private static JsonArray Inputs(BindsAttribute request, string prefix, HttpFunction[] routes, IReadOnlySet<string> expanding)
    {
        var inputs = new JsonArray();
        foreach (var field in RequestShape.Of(request.RequestType).Fields)
        {
            inputs.Add(request.Source == RequestSource.Query ? QueryInput(field) : BodyInput(field, prefix, routes, expanding));
        }
        return inputs;
    }

    private static JsonObject BodyInput(FieldSpec field, string prefix, HttpFunction[] routes, IReadOnlySet<string> expanding)
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
            var target = routes.FirstOrDefault(r => string.Equals(r.Path, prefix + path, StringComparison.Ordinal) && r.Binds is not null);
            if (target is not null && !expanding.Contains(prefix + path))
            {
                listing["method"] = target.Methods.FirstOrDefault() ?? "GET";
                listing["inputs"] = Inputs(target.Binds!, prefix, routes, new HashSet<string>(expanding) { prefix + path });
            }
            else if (!expanding.Contains(prefix + path) && routes.FirstOrDefault(r => r.Path == prefix + path) is { } plain)
            {
                listing["method"] = plain.Methods.FirstOrDefault() ?? "GET";
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
