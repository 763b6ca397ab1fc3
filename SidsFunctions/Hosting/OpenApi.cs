using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.Hosting;

/// <summary>
/// The OpenAPI document (Microsoft.AspNetCore.OpenApi, at /openapi/v1.json) and Swagger UI (/docs). Request
/// schemas come from the request records; transformers add what the records' attributes say: required
/// fields, enum wire names, query parameters of GET endpoints, and each type's example.
/// </summary>
public static class OpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddSidsOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "SIDS ML Backend",
                Version = "v1",
                Description = "Machine-learning models over the UNDP SIDS Data Platform's country × indicator × year data: "
                              + "two-level imputation, country correlation and clustering, time-series interpolation and survey clustering.",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(QueryParameters);
        o.AddOperationTransformer(ResponseExample);
        o.AddSchemaTransformer(RequestSchemas);
    });

    public static IApplicationBuilder UseSidsOpenApiUi(this IApplicationBuilder app) => app.UseSwaggerUI(o =>
    {
        o.RoutePrefix = "docs";
        o.SwaggerEndpoint(DocumentPath, "SIDS ML Backend v1");
        o.DocumentTitle = "SIDS ML Backend";
    });

    public static IEndpointRouteBuilder MapSidsOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    private static Task QueryParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken _)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata.OfType<SidsRequestMetadata>().FirstOrDefault();
        if (metadata is not { Source: RequestSource.Query })
        {
            return Task.CompletedTask;
        }
        operation.Parameters ??= [];
        var example = ExampleOf(metadata.RequestType) as JsonObject;
        foreach (var field in RequestShape.Of(metadata.RequestType).Fields)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = field.Name,
                In = ParameterLocation.Query,
                Required = field.Required,
                Description = field.Description ?? field.Label,
                Schema = FieldSchema(field),
                Example = example?[field.Name]?.DeepClone(),
            });
        }
        return Task.CompletedTask;
    }

    private static Task ResponseExample(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken _)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata.OfType<ResponseExampleMetadata>().FirstOrDefault();
        if (metadata is not null && operation.Responses?.TryGetValue("200", out var response) == true
                                 && response.Content?.TryGetValue("application/json", out var content) == true)
        {
            content.Example = JsonSerializer.SerializeToNode(metadata.Example, metadata.Example.GetType(), SidsJson.Options);
        }
        return Task.CompletedTask;
    }

    private static Task RequestSchemas(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is not null)
        {
            return Task.CompletedTask; // property schemas are filled from their owner below
        }
        if (ExampleOf(type) is { } example)
        {
            schema.Examples = [example];
        }
        if (type.GetCustomAttribute<SidsRequestAttribute>() is null || schema.Properties is null)
        {
            return Task.CompletedTask;
        }
        var shape = RequestShape.Of(type);
        schema.Required = new HashSet<string>(shape.Fields.Where(f => f.Required).Select(f => f.Name));
        foreach (var field in shape.Fields)
        {
            if (schema.Properties.TryGetValue(field.Name, out var property) && property is OpenApiSchema target)
            {
                var described = FieldSchema(field);
                target.Description ??= field.Description ?? field.Label;
                target.Enum = described.Enum;
                if (field.Kind == FieldKind.Enum)
                {
                    target.Type = JsonSchemaType.String;
                    // The labels /params shows, in the order of the values (the common x-enum-descriptions extension).
                    target.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                    target.Extensions["x-enum-descriptions"] = new JsonNodeExtension(new JsonArray(field.Enum!.Labels.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()));
                }
            }
        }
        return Task.CompletedTask;
    }

    private static OpenApiSchema FieldSchema(FieldSpec field)
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
        }
        if (field.Default is { } value && field.Kind != FieldKind.Json)
        {
            schema.Default = JsonSerializer.SerializeToNode(value is Enum e ? field.Enum!.NameOf(e) : value, SidsJson.Options);
        }
        return schema;
    }

    /// <summary>The static <c>Example</c> of a type implementing <see cref="IHasExample{T}"/>, as JSON.</summary>
    private static JsonNode? ExampleOf(Type type)
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

/// <summary>Marks a record bound by <see cref="RequestBinder"/>: its OpenAPI schema follows the binder's rules.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SidsRequestAttribute : Attribute;
