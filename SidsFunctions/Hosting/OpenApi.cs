using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;
using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.Hosting;

/// <summary>
/// The OpenAPI 3.1 document at /openapi/v1.json (Microsoft.OpenApi), built from the function classes: a path
/// per documented HTTP function (its route and methods), tagged by its <see cref="FunctionGroupAttribute"/>,
/// its request record (<see cref="BindsAttribute"/>: a JSON body or query parameters), its answers
/// (<see cref="AnswersAttribute"/>, <see cref="AlsoAnswersAttribute"/>) with examples. Schemas come from the
/// app's JSON setup (System.Text.Json's schema exporter); request records add what their attributes say
/// (required fields, enum wire names, ranges, descriptions, defaults, each type's example).
/// </summary>
public sealed class OpenApiDocumentBuilder(FunctionCatalog functions)
{
    public const string DocumentPath = "/openapi/v1.json";

    private readonly Lazy<string> document = new(() => Build(functions));

    /// <summary>The document, its server the one the request came to.</summary>
    public string Json(HttpRequest request)
    {
        var node = JsonNode.Parse(document.Value)!.AsObject();
        var server = new JsonArray(new JsonObject { ["url"] = $"{request.Scheme}://{request.Host}{request.PathBase}/" });
        var ordered = new JsonObject();
        foreach (var (key, value) in node.ToArray())
        {
            node.Remove(key);
            ordered[key] = value;
            if (key == "info")
            {
                ordered["servers"] = server;
            }
        }
        return ordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = SidsJson.Options.Encoder });
    }

    private static string Build(FunctionCatalog functions)
    {
        var doc = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "SIDS ML Backend",
                Version = "v1",
                Description = "Machine-learning models over the UNDP SIDS Data Platform's country × indicator × year data: "
                              + "two-level imputation, country correlation and clustering, time-series interpolation and survey clustering.",
            },
            Paths = [],
            Components = new OpenApiComponents { Schemas = new Dictionary<string, IOpenApiSchema>() },
            Tags = new HashSet<OpenApiTag>(),
        };
        var schemas = new SchemaSet(doc);
        var tags = new List<string>();
        foreach (var function in functions.Http.Where(f => f.IsDocumented))
        {
            if (!tags.Contains(function.Group.Tag))
            {
                tags.Add(function.Group.Tag);
            }
            var operation = new OpenApiOperation
            {
                Tags = new HashSet<OpenApiTagReference> { new(function.Group.Tag, doc) },
                Summary = function.Method.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description,
                OperationId = function.Name,
                Responses = new OpenApiResponses(),
            };
            var binds = function.Binds;
            if (binds is { Source: RequestSource.Body })
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schemas.Of(binds.RequestType) } },
                    Required = true,
                };
            }
            else if (binds is { Source: RequestSource.Query })
            {
                operation.Parameters = QueryParameters(binds.RequestType);
            }
            if (binds is not null)
            {
                Respond(operation, StatusCodes.Status422UnprocessableEntity, schemas.Of(typeof(Errors.ValidationErrorBody)));
            }
            if (function.Method.GetCustomAttribute<AnswersAttribute>() is { } answers)
            {
                var content = Respond(operation, StatusCodes.Status200OK, schemas.Property(answers.AnswerType));
                var example = answers.Example is { } name
                    ? function.Method.DeclaringType!.GetProperty(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)
                    : null;
                content.Example = example is null
                    ? ExampleOf(answers.AnswerType)
                    : JsonSerializer.SerializeToNode(example, example.GetType(), SidsJson.Options);
            }
            foreach (var produces in function.Method.GetCustomAttributes<AlsoAnswersAttribute>())
            {
                Respond(operation, produces.Status, schemas.Of(produces.BodyType));
            }
            var item = new OpenApiPathItem { Operations = [] };
            foreach (var method in function.Methods)
            {
                item.Operations[HttpMethod.Parse(method)] = operation;
            }
            doc.Paths.Add(function.Path, item);
        }
        foreach (var tag in tags)
        {
            doc.Tags.Add(new OpenApiTag { Name = tag });
        }
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        doc.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }

    private static OpenApiMediaType Respond(OpenApiOperation operation, int status, IOpenApiSchema schema)
    {
        var media = new OpenApiMediaType { Schema = schema };
        operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = media },
        };
        return media;
    }

    private static List<IOpenApiParameter> QueryParameters(Type requestType)
    {
        var example = ExampleOf(requestType) as JsonObject;
        return RequestShape.Of(requestType).Fields.Select(field => (IOpenApiParameter)new OpenApiParameter
        {
            Name = field.Name,
            In = ParameterLocation.Query,
            Required = field.Required,
            Description = field.Description ?? field.Label,
            Schema = FieldSchema(field),
            Example = example?[field.Name]?.DeepClone(),
        }).ToList();
    }

    internal static OpenApiSchema FieldSchema(FieldSpec field)
    {
        var schema = new OpenApiSchema
        {
            Type = field.Kind switch
            {
                FieldKind.Integer => JsonSchemaType.Integer,
                FieldKind.Number => JsonSchemaType.Number,
                FieldKind.Boolean => JsonSchemaType.Boolean,
                FieldKind.StringList or FieldKind.IntegerList or FieldKind.NumberList => JsonSchemaType.Array,
                FieldKind.Json => JsonSchemaType.Object,
                _ => JsonSchemaType.String,
            },
            Minimum = field.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = field.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (field.Enum is { } values)
        {
            schema.Enum = values.Names.Select(n => (JsonNode)JsonValue.Create(n)).ToList();
            schema.Extensions = new Dictionary<string, IOpenApiExtension>
            {
                ["x-enum-descriptions"] = new JsonNodeExtension(new JsonArray(values.Labels.Select(l => (JsonNode)JsonValue.Create(l)).ToArray())),
            };
        }
        if (field.Default is { } value && field.Kind != FieldKind.Json)
        {
            schema.Default = JsonSerializer.SerializeToNode(value is Enum e ? field.Enum!.NameOf(e) : value, SidsJson.Options);
        }
        return schema;
    }

    /// <summary>The static <c>Example</c> of a type implementing <see cref="IHasExample{T}"/>, as JSON.</summary>
    internal static JsonNode? ExampleOf(Type type)
    {
        var implementsExample = type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IHasExample<>));
        if (!implementsExample)
        {
            return null;
        }
        var example = type.GetProperty("Example", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        return example is null ? null : JsonSerializer.SerializeToNode(example, type, SidsJson.Options);
    }
}

/// <summary>
/// Schemas of the document: records, enums and JSON nodes become components (referenced by type name), the
/// rest is written in place; a request record's properties follow its binding rules (<see cref="RequestShape"/>).
/// </summary>
internal sealed class SchemaSet(OpenApiDocument document)
{
    private readonly Dictionary<Type, string> named = [];

    public IOpenApiSchema Of(Type type) => Of(type, nullable: false);

    private IOpenApiSchema Of(Type type, bool nullable)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Of(underlying, nullable: true);
        }
        if (IsComponent(type))
        {
            var reference = new OpenApiSchemaReference(Component(type), document);
            return nullable ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] } : reference;
        }
        return Inline(type, nullable);
    }

    private static bool IsComponent(Type type) =>
        type.IsEnum || type == typeof(JsonElement) || type == typeof(JsonObject) || type == typeof(JsonArray)
        || SidsJson.Options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Object && type != typeof(object);

    private string Component(Type type)
    {
        if (named.TryGetValue(type, out var name))
        {
            return name;
        }
        name = type.Name;
        named[type] = name;
        document.Components!.Schemas![name] = new OpenApiSchema(); // placeholder: records may refer to themselves
        document.Components.Schemas[name] = ComponentSchema(type);
        return name;
    }

    private OpenApiSchema ComponentSchema(Type type)
    {
        if (type.IsEnum)
        {
            var values = EnumValues.Of(type);
            var schema = new OpenApiSchema { Enum = values.Names.Select(n => (JsonNode)JsonValue.Create(n)).ToList() };
            if (SidsJson.Options.GetTypeInfo(type).Converter.GetType().Name.StartsWith("EnumConverter", StringComparison.Ordinal))
            {
                schema.Type = JsonSchemaType.String;
            }
            return schema;
        }
        if (type == typeof(JsonElement))
        {
            return new OpenApiSchema();
        }
        if (type == typeof(JsonObject))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Object };
        }
        if (type == typeof(JsonArray))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Array };
        }
        var info = SidsJson.Options.GetTypeInfo(type);
        var parameters = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()?.GetParameters() ?? [];
        var result = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(),
        };
        if (OpenApiDocumentBuilder.ExampleOf(type) is { } example)
        {
            result.Examples = [example];
        }
        var shape = type.GetCustomAttribute<SidsRequestAttribute>() is not null ? RequestShape.Of(type) : null;
        var nullability = new NullabilityInfoContext();
        foreach (var property in info.Properties)
        {
            var clr = property.AttributeProvider as PropertyInfo;
            var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, clr?.Name, StringComparison.OrdinalIgnoreCase));
            var nullable = clr is not null && !property.PropertyType.IsValueType
                                           && nullability.Create(clr).ReadState == NullabilityState.Nullable;
            IOpenApiSchema schema = Property(property.PropertyType, nullable);
            if (shape?.ByName.GetValueOrDefault(property.Name) is { } field)
            {
                schema = RequestField(schema, field, clr);
            }
            result.Properties[property.Name] = schema;
            if (shape is not null ? shape.ByName.GetValueOrDefault(property.Name)?.Required == true : parameter is { HasDefaultValue: false })
            {
                result.Required.Add(property.Name);
            }
        }
        return result;
    }

    // A request record's field: its description, range, enum names and default, as the binder applies them.
    private IOpenApiSchema RequestField(IOpenApiSchema schema, FieldSpec field, PropertyInfo? property)
    {
        var ownDescription = property?.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description;
        if (schema is OpenApiSchemaReference reference)
        {
            reference.Description = ownDescription;
            // An enum's component takes the description of the first field that uses it.
            if (document.Components!.Schemas![reference.Reference.Id!] is OpenApiSchema { Description: null, Enum: not null } target)
            {
                target.Description = field.Description ?? field.Label;
                if (field.Enum is { } values)
                {
                    // The labels /params shows, in the order of the values (the common x-enum-descriptions extension).
                    target.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                    target.Extensions["x-enum-descriptions"] = new JsonNodeExtension(new JsonArray(values.Labels.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()));
                }
            }
            return reference;
        }
        var described = OpenApiDocumentBuilder.FieldSchema(field);
        var inline = (OpenApiSchema)schema;
        inline.Description ??= field.Description ?? field.Label;
        inline.Minimum = described.Minimum;
        inline.Maximum = described.Maximum;
        inline.Default = described.Default;
        if (field.MaxLength is { } most && inline.Type?.HasFlag(JsonSchemaType.Array) == true)
        {
            inline.MaxItems = most;
        }
        return inline;
    }

    /// <summary>The schema of a property or of a whole answer (a double is described by its format alone).</summary>
    public IOpenApiSchema Property(Type type, bool nullable = false)
    {
        if (type == typeof(double) || type == typeof(float))
        {
            return new OpenApiSchema { Format = type == typeof(double) ? "double" : "float" };
        }
        return Of(type, nullable);
    }

    // Schemas written in place: primitives, lists, dictionaries.
    private IOpenApiSchema Inline(Type type, bool nullable)
    {
        var nullFlag = nullable ? JsonSchemaType.Null : 0;
        if (type == typeof(string))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String | nullFlag };
        }
        if (type == typeof(bool))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Boolean | nullFlag };
        }
        if (type == typeof(int) || type == typeof(long))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Integer | nullFlag, Format = type == typeof(int) ? "int32" : "int64" };
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return new OpenApiSchema(); // the app writes non-finite values as null: no single JSON type
        }
        var info = SidsJson.Options.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Dictionary)
        {
            var values = ElementOf(type, 1);
            var schema = new OpenApiSchema { Type = JsonSchemaType.Object | nullFlag };
            if (values is not null && Items(values) is { } additional)
            {
                schema.AdditionalProperties = additional;
            }
            return schema;
        }
        if (info.Kind == JsonTypeInfoKind.Enumerable)
        {
            var schema = new OpenApiSchema { Type = JsonSchemaType.Array | nullFlag };
            if (info.ElementType is { } element && Items(element) is { } items)
            {
                schema.Items = items;
            }
            return schema;
        }
        return new OpenApiSchema();
    }

    // Item and value schemas: an empty one (a double's) is left out.
    private IOpenApiSchema? Items(Type element)
    {
        var nullable = Nullable.GetUnderlyingType(element) is not null;
        var schema = Of(element);
        return schema is OpenApiSchema { Type: null, Format: null, Items: null, OneOf: null, Properties: null } && !nullable ? null : schema;
    }

    private static Type? ElementOf(Type dictionary, int index)
    {
        var generic = dictionary.IsGenericType && dictionary.GetGenericArguments().Length == 2
            ? dictionary
            : dictionary.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return generic?.GetGenericArguments()[index];
    }
}

/// <summary>Marks a record bound by <see cref="RequestBinder"/>: its OpenAPI schema follows the binder's rules.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SidsRequestAttribute : Attribute;
