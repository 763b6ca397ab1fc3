using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Common;

namespace SidsFunctions.Tests.Reliability;

/// <summary>
/// Bad input on every POST endpoint: mutated versions of valid bodies (Fixtures/upstream/fuzz-seeds.json,
/// one per endpoint) — truncated and malformed JSON, removed and unknown fields, wrong types, out-of-range
/// and non-finite numbers, huge strings and arrays, deep nesting, hostile strings. None may answer 5xx,
/// and every 4xx must be a JSON object with a "detail". Seeded: a failure names its body and replays.
/// </summary>
public sealed class FuzzTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private const int Requests = 1200;

    private static readonly JsonNode?[] Junk =
    [
        null, "", "x", new string('x', 5000), -1, 0, 1_000_000_000_000, 3.5, -0.0, new JsonArray(), new JsonObject(), true, "NaN", "Infinity",
        "-1", "1e309", new JsonArray(1, "a", null), new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray(1, 2) } },
        "'; DROP TABLE x;--", "<script>alert(1)</script>", "\u0000", "../../etc/passwd", "\ud83d\ude00", "KNNIMPUTER", "rfr ",
    ];

    private static readonly string[] RawBodies =
    [
        "", "null", "[]", "42", "\"text\"", "{", "}", "{\"a\":}", "{'single':1}", "{\"n\": NaN}", "{\"n\": Infinity}", "{\"n\": 1e400}",
        new string('{', 10_000), new string('[', 200) + new string(']', 200), "{\"a\":1,\"a\":2}", "\u00ff\u00fe",
    ];

    [Fact]
    [Trait("Category", "Fuzz")]
    public async Task MutatedBodiesNeverGet5xxAndEvery4xxIsAJsonError()
    {
        var seeds = Fixtures.Upstream("fuzz-seeds.json").AsArray()
            .Select(s => (Path: s![0]!.GetValue<string>(), Body: s[1]!.AsObject())).ToArray();
        var rng = new Rng(4242);
        var client = factory.CreateClient();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var (path, body) = seeds[rng.NextInt(seeds.Length)];
            var raw = Mutate(rng, body);
            var response = await client.PostAsync(path, new StringContent(raw, Encoding.UTF8, "application/json"));
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                failures.Add($"{path} {Preview(raw)} → {status} {Preview(text)}");
            }
            else if (status >= 400 && !IsJsonError(text))
            {
                failures.Add($"{path} {Preview(raw)} → {status} without a JSON error: {Preview(text)}");
            }
            else if (status >= 400 && (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("/work/", StringComparison.Ordinal)))
            {
                failures.Add($"{path} {Preview(raw)} → {status} leaks a stack trace or path: {Preview(text)}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests} failed; statuses {Summary(statuses)}:\n" + string.Join('\n', failures.Take(20)));
        Assert.True(statuses.Keys.Any(s => s is >= 400 and < 500), "the mutations produced no 4xx: they test nothing");
    }

    [Theory]
    [InlineData("/twolvlImp/predict")]
    [InlineData("/twolvlImp/predictors")]
    [InlineData("/statimpute/impute")]
    [InlineData("/correlation/correlate")]
    [InlineData("/survey/clustering")]
    public async Task BodiesOverTheLimitAre413(string path)
    {
        var client = factory.CreateClient();
        var huge = "{\"data\": \"" + new string('x', 11 * 1024 * 1024) + "\"}";
        var response = await client.PostAsync(path, new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(IsJsonError(await response.Content.ReadAsStringAsync()));
    }

    private static string Mutate(Rng rng, JsonObject seed)
    {
        var body = seed.DeepClone().AsObject();
        var keys = body.Select(p => p.Key).ToArray();
        switch (rng.NextInt(12))
        {
            case 0:
                var text = body.ToJsonString();
                return text[..(1 + rng.NextInt(Math.Min(40, text.Length - 1)))]; // truncated
            case 1:
                body.Remove(keys[rng.NextInt(keys.Length)]);
                break;
            case 2:
                body[keys[rng.NextInt(keys.Length)]] = Junk[rng.NextInt(Junk.Length)]?.DeepClone();
                break;
            case 3:
                var array = new JsonArray();
                for (var n = 1 + rng.NextInt(3000); n > 0; n--)
                {
                    array.Add(rng.NextDouble());
                }
                body[rng.NextInt(3) == 0 ? "extra" : keys[rng.NextInt(keys.Length)]] = array;
                break;
            case 4:
                return RawBodies[rng.NextInt(RawBodies.Length)];
            case 5:
                var key = keys[rng.NextInt(keys.Length)];
                body[key] = body[key]?.ToJsonString().Trim('"') + new[] { "'; DROP", "<script>", "\u0000", "../../etc/passwd", " " }[rng.NextInt(5)];
                break;
            case 6:
                foreach (var k in keys.Where(k => body[k] is JsonValue v && v.TryGetValue<int>(out _)))
                {
                    body[k] = new[] { -5, 0, 100_000, int.MaxValue, int.MinValue }[rng.NextInt(5)];
                }
                break;
            case 7:
                body[keys[rng.NextInt(keys.Length)]] = new JsonObject { ["nested"] = new JsonObject { ["deeper"] = new JsonArray(1, 2, new JsonObject { ["x"] = null }) } };
                break;
            case 8:
                // Two fields swapped: every value of the wrong type for its field.
                var (a, b) = (keys[rng.NextInt(keys.Length)], keys[rng.NextInt(keys.Length)]);
                (body[a], body[b]) = (body[b]?.DeepClone(), body[a]?.DeepClone());
                break;
            case 9:
                body[keys[rng.NextInt(keys.Length)]] = new string('y', 20_000 + rng.NextInt(100_000));
                break;
            default:
                break; // unmutated: the valid body must keep working
        }
        return body.ToJsonString();
    }

    private static bool IsJsonError(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject o && o.ContainsKey("detail");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Preview(string text) => text.Length <= 160 ? text : text[..160] + "…";

    private static string Summary(Dictionary<int, int> statuses) =>
        string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
}
