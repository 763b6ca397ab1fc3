using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Requests;
using SidsFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SidsFunctions.Tests.Reliability;

/// <summary>
/// Edge values generated from the request records, not listed by hand. The endpoints and the record each one
/// binds come from the OpenAPI document the app serves (built from the records); each record's fields, kinds,
/// ranges, lengths and cross-field rules from <see cref="RequestShape"/>; the valid body from the record's
/// example. Every field of every endpoint is then sent missing, null, "", " ", [], [""], [null], a list with an
/// unknown code, a list with the same value twice, {}, 0, -1, 1, 1.5, 10⁹, its minimum − 1, minimum, maximum,
/// maximum + 1, its longest and one longer, a numeric string, true, "NaN", 300 characters, year-like text and
/// enum names that are not quite one; and, from the <see cref="RequiredIfAttribute"/>s, every value of a condition field
/// with its dependent fields present and with them left out. Each answer is 200, or a 4xx JSON error that
/// names a field (a schema error: the field sent or one tied to it by a rule); never 5xx, never a stack trace.
/// A new field or record is covered with no edit here. Needs only an HttpClient.
/// </summary>
public sealed class EdgeValueTests(SidsAppFactory factory, ITestOutputHelper output) : IClassFixture<SidsAppFactory>
{
    /// <summary>Fields that only scale the cost of training: sent at their minimum in every other case, so a run stays cheap.</summary>
    private static readonly HashSet<string> CostFields = ["estimators"];

    private const string UnknownCode = "not-a-code";

    private readonly HttpClient client = factory.CreateClient();

    /// <summary>An endpoint that binds a request record: from the body (POST) or the query string (GET).</summary>
    public sealed record Endpoint(string Method, string Path, Type Record)
    {
        public RequestShape Shape => RequestShape.Of(Record);

        public override string ToString() => $"{Method} {Path}";
    }

    /// <summary>One request: the endpoint, what was changed (for the failure message), the body or query.</summary>
    public sealed record Case(Endpoint Endpoint, string Field, string Label, JsonObject Values);

    [Fact]
    [Trait("Category", "Fuzz")]
    public async Task EveryFieldOfEveryEndpointAtEveryEdgeIs200OrA4xxNamingAField()
    {
        var endpoints = await EndpointsAsync();
        var cases = endpoints.SelectMany(Cases).ToArray();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            var (status, text) = await SendAsync(c, ct);
            var problem = Judge(c, status, text);
            lock (failures)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (problem is not null)
                {
                    failures.Add($"{c.Endpoint} {c.Field}={c.Label} → {status} {Preview(text)}: {problem}");
                }
            }
        });
        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        output.WriteLine($"{cases.Length} cases over {endpoints.Count} endpoints in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s: {summary}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Length} failed ({summary}):\n" + string.Join('\n', failures.Order().Take(30)));
        Assert.True(statuses.ContainsKey(200) && statuses.Keys.Any(s => s is >= 400 and < 500), "the edge values neither passed nor failed: they test nothing");
    }

    [Fact]
    public async Task EveryRequestRecordIsBoundByAnEndpointInTheDocument()
    {
        var bound = (await EndpointsAsync()).Select(e => e.Record).ToHashSet();
        var records = RequestRecords().Values.ToArray();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.True(bound.Contains(r), $"{r.Name} is bound by no endpoint of the OpenAPI document: its edges would go untested"));
    }

    [Fact]
    public void TheGeneratorSendsEveryEdgeForEveryField()
    {
        // What the generator promises, checked on a record with a list, a ranged integer and a rule: a field
        // added to a record gets the same edges with no edit here.
        var endpoint = new Endpoint("POST", "/twolvlImp/predict", typeof(SidsFunctions.TwoLevelImputation.TrainRequest));
        var cases = Cases(endpoint).ToArray();
        foreach (var field in endpoint.Shape.Fields)
        {
            var labels = cases.Where(c => c.Field == field.Name).Select(c => c.Label).ToHashSet();
            Assert.Superset(new HashSet<string> { "missing", "null", "\"\"", "\" \"", "[]", "[\"\"]", "[null]", "{}", "0", "-1", "1", "1.5", "true", "\"NaN\"", "\"1\"", "300 chars" }, labels);
        }
        var estimators = cases.Where(c => c.Field == "estimators").Select(c => c.Label).ToHashSet();
        Assert.Superset(new HashSet<string> { "min-1=0", "min=1", "max=1000", "max+1=1001" }, estimators);
        var predictors = cases.Where(c => c.Field == "manual_predictors").Select(c => c.Label).ToHashSet();
        Assert.Superset(new HashSet<string> { $"[\"{UnknownCode}\"]", "the same twice", "50 items", "51 items" }, predictors);
        Assert.Contains(cases, c => c.Field == "scheme" && c.Label == "MANUAL without manual_predictors");
        Assert.Contains(cases, c => c.Field == "scheme" && c.Label == "AFS without number_predictor");
        Assert.Contains(cases, c => c.Field == "scheme" && c.Label == "PCA with its rules' fields");
    }

    /// <summary>The records marked <see cref="SidsRequestAttribute"/>, by type name (the OpenAPI schema names).</summary>
    private static Dictionary<string, Type> RequestRecords() => typeof(SidsRequestAttribute).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<SidsRequestAttribute>() is not null).ToDictionary(t => t.Name, StringComparer.Ordinal);

    private async Task<IReadOnlyList<Endpoint>> EndpointsAsync()
    {
        var document = JsonNode.Parse(await client.GetStringAsync(OpenApiDocumentBuilder.DocumentPath))!.AsObject();
        var records = RequestRecords();
        var endpoints = new List<Endpoint>();
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var reference = operation!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                var parameters = operation["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet() ?? [];
                Type? record = null;
                if (reference is not null)
                {
                    records.TryGetValue(reference.Split('/')[^1], out record);
                }
                else if (parameters.Count > 0)
                {
                    // A query's parameters are its record's fields: the record with exactly those.
                    record = records.Values.SingleOrDefault(r => RequestShape.Of(r).Fields.Select(f => f.Name).ToHashSet().SetEquals(parameters));
                }
                if (record is not null)
                {
                    endpoints.Add(new Endpoint(method.ToUpperInvariant(), path, record));
                }
            }
        }
        return endpoints;
    }

    /// <summary>The record's example as the wire sends it, with the cost fields at their minimum.</summary>
    private static JsonObject ValidBody(Type record)
    {
        var example = record.GetProperty("Example", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
                      ?? throw new InvalidOperationException($"{record.Name} has no Example: the edges need a valid body to start from");
        var body = JsonSerializer.SerializeToNode(example, record, SidsJson.Options)!.AsObject();
        foreach (var (name, _) in body.Where(p => p.Value is null).ToArray())
        {
            body.Remove(name);
        }
        foreach (var field in RequestShape.Of(record).Fields.Where(f => CostFields.Contains(f.Name) && f.Minimum is not null))
        {
            body[field.Name] = (int)field.Minimum!.Value;
        }
        return body;
    }

    /// <summary>Every case for one endpoint: the valid body, each field at each edge, the cross-field states of its rules.</summary>
    public static IEnumerable<Case> Cases(Endpoint endpoint)
    {
        var shape = endpoint.Shape;
        var valid = ValidBody(endpoint.Record);
        yield return new Case(endpoint, "(none)", "the example", valid);
        foreach (var field in shape.Fields)
        {
            foreach (var (label, value) in Edges(field, valid[field.Name]))
            {
                var body = valid.DeepClone().AsObject();
                if (label == "missing")
                {
                    body.Remove(field.Name);
                }
                else
                {
                    body[field.Name] = value?.DeepClone();
                }
                yield return new Case(endpoint, field.Name, label, body);
            }
        }
        foreach (var state in RuleStates(shape, valid))
        {
            yield return state with { Endpoint = endpoint };
        }
    }

    private static IEnumerable<(string Label, JsonNode? Value)> Edges(FieldSpec field, JsonNode? valid)
    {
        var text = valid is JsonValue v && v.TryGetValue<string>(out var s) ? s : valid?.ToJsonString() ?? "x";
        var item = valid is JsonArray { Count: > 0 } list ? list[0]!.DeepClone() : JsonValue.Create(text);
        yield return ("missing", null);
        yield return ("null", null);
        foreach (var node in new JsonNode?[] { "", " ", new JsonArray(), new JsonArray(""), new JsonArray((JsonNode?)null), new JsonObject(), 0, -1, 1, 2, 1.5, 1_000_000_000, true, "NaN", "1", "2000", "1999", "2020", 2019, new JsonArray(1, 2) })
        {
            yield return (node!.ToJsonString(), node);
        }
        yield return ($"[\"{UnknownCode}\"]", new JsonArray(UnknownCode));
        yield return ("the same twice", new JsonArray(item, item.DeepClone()));
        yield return ("the same twice as text", JsonValue.Create(text + text));
        yield return ("300 chars", new string('x', 300));
        if (field.Minimum is { } min)
        {
            yield return ($"min-1={Number(min - 1)}", Number(min - 1));
            yield return ($"min={Number(min)}", Number(min));
            yield return ($"\"min\"=\"{Number(min)}\"", Number(min).ToString());
        }
        if (field.Maximum is { } max)
        {
            yield return ($"max={Number(max)}", Number(max));
            yield return ($"max+1={Number(max + 1)}", Number(max + 1));
        }
        var longest = field.MaxLength ?? (field.Kind is FieldKind.String ? RequestShape.DefaultMaxStringLength : RequestShape.DefaultMaxItems);
        if (field.Kind is FieldKind.String)
        {
            yield return ($"{longest} chars", new string('x', longest));
            yield return ($"{longest + 1} chars", new string('x', longest + 1));
        }
        else if (field.Kind is FieldKind.StringList or FieldKind.IntegerList or FieldKind.NumberList)
        {
            yield return ($"{longest} items", new JsonArray([.. Enumerable.Range(0, longest).Select(_ => item.DeepClone())]));
            yield return ($"{longest + 1} items", new JsonArray([.. Enumerable.Range(0, longest + 1).Select(_ => item.DeepClone())]));
        }
        if (field.Enum is { } values)
        {
            // A value in the wrong case and one that is none (every value of a condition field is a rule state below;
            // every interpolator, model and interval trains in the contract grid).
            yield return (values.Names[0].ToUpperInvariant(), values.Names[0].ToUpperInvariant());
            yield return ($"{values.Names[0]}!", values.Names[0] + "!");
        }
    }

    /// <summary>
    /// The states a form reaches through the rules: for each value of a condition field, its dependent fields
    /// present (filled from the example, or at their minimum) and then left out — MANUAL with a count and no list,
    /// AFS/PCA with a list and no count.
    /// </summary>
    private static IEnumerable<Case> RuleStates(RequestShape shape, JsonObject valid)
    {
        var rules = shape.Fields.SelectMany(f => f.RequiredIf.Select(r => (Dependent: f, r.Field, r.Value))).ToArray();
        var filled = valid.DeepClone().AsObject();
        foreach (var dependent in rules.Select(r => r.Dependent).Distinct())
        {
            filled[dependent.Name] ??= dependent.Minimum is { } min ? Number(min) : valid[dependent.Name]?.DeepClone();
        }
        foreach (var condition in rules.Select(r => r.Field).Distinct())
        {
            var field = shape.ByName[condition];
            var values = field.Enum?.Names ?? rules.Where(r => r.Field == condition).Select(r => r.Value).Distinct().ToArray();
            foreach (var value in values)
            {
                var all = filled.DeepClone().AsObject();
                all[condition] = value;
                yield return new Case(null!, condition, $"{value} with its rules' fields", all);
                var dependents = rules.Where(r => r.Field == condition && r.Value == value).Select(r => r.Dependent.Name).ToArray();
                if (dependents.Length > 0)
                {
                    var without = all.DeepClone().AsObject();
                    foreach (var name in dependents)
                    {
                        without.Remove(name);
                    }
                    yield return new Case(null!, condition, $"{value} without {string.Join(", ", dependents)}", without);
                }
            }
        }
    }

    private static JsonNode Number(double value) => value == Math.Floor(value) && Math.Abs(value) < int.MaxValue
        ? JsonValue.Create((int)value)
        : JsonValue.Create(value);

    private async Task<(int Status, string Text)> SendAsync(Case c, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        if (c.Endpoint.Method == "GET")
        {
            var query = string.Join('&', c.Values.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(QueryText(p.Value))}"));
            response = await client.GetAsync($"{c.Endpoint.Path}?{query}", cancellationToken);
        }
        else
        {
            response = await client.PostAsync(c.Endpoint.Path, new StringContent(c.Values.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        }
        using (response)
        {
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
    }

    // What a browser puts in a query string for a value: text as is, anything else as its JSON; null as nothing.
    private static string QueryText(JsonNode? value) =>
        value is null ? "" : value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value.ToJsonString();

    /// <summary>Null when the answer is acceptable, else what is wrong with it.</summary>
    private static string? Judge(Case c, int status, string text)
    {
        if (status >= 500)
        {
            return "a 5xx";
        }
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return "not JSON";
        }
        if (status is >= 200 and < 300)
        {
            return null;
        }
        if (status is < 400 or >= 500)
        {
            return "neither 200 nor 4xx";
        }
        if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("/work/", StringComparison.Ordinal))
        {
            return "a stack trace or a path in the answer";
        }
        var detail = (json as JsonObject)?["detail"];
        var fields = c.Endpoint.Shape.ByName;
        switch (detail)
        {
            case JsonArray errors:
            {
                // A schema error: it must name the field sent, or one a rule ties to it.
                var named = errors.Select(e => e?["loc"]?.AsArray() is { Count: >= 2 } loc ? loc[1]!.GetValue<string>() : null).ToHashSet();
                var related = Related(c.Endpoint.Shape, c.Field);
                return named.Overlaps(related) ? null : $"a schema error naming [{string.Join(", ", named)}], not {string.Join(" or ", related)}";
            }
            case JsonObject error:
            {
                // A domain error (the data cannot serve the request): it must name one of the request's fields.
                var loc = error["loc"]?.AsArray();
                var name = loc is { Count: >= 2 } ? loc[1]!.GetValue<string>() : null;
                return error["msg"] is null ? "a domain error without msg"
                    : name is not null && fields.ContainsKey(name) ? null
                    : $"a domain error naming no field of {c.Endpoint.Record.Name}";
            }
            default:
                return "a 4xx without a JSON detail";
        }
    }

    /// <summary>The field and those tied to it by a rule (its conditions, the fields it conditions).</summary>
    private static HashSet<string> Related(RequestShape shape, string field)
    {
        var related = new HashSet<string>(StringComparer.Ordinal) { field };
        foreach (var f in shape.Fields)
        {
            foreach (var rule in f.RequiredIf)
            {
                if (rule.Field == field)
                {
                    related.Add(f.Name);
                }
                if (f.Name == field)
                {
                    related.Add(rule.Field);
                }
            }
        }
        if (field == "(none)")
        {
            related.UnionWith(shape.Fields.Select(f => f.Name));
        }
        return related;
    }

    private static string Preview(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
