using System.Text.Json;
using System.Text.Json.Serialization;

namespace SidsFunctions.AggregateTimeEstimates;

/// <summary>
/// The AggregateTimeEstimates timer function. The Functions host invokes a custom handler's timer by
/// POSTing the invocation (timer payload and metadata) to /AggregateTimeEstimates and expects the
/// invocation response shape back.
/// </summary>
public static class AggregateTimeEstimatesFunction
{
    public const string Name = "AggregateTimeEstimates";

    public static IEndpointRouteBuilder MapAggregateTimeEstimates(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + Name, Invoke).WithName(Name).WithTags("Timers")
            .WithSummary("Invoked by the Functions host on the timer's schedule (custom-handler invocation contract).");
        return app;
    }

    private static InvocationResponse Invoke() => new(new Dictionary<string, JsonElement>(), [], null);

    /// <summary>The custom-handler invocation response: no output bindings, log lines, no return value.</summary>
    public sealed record InvocationResponse(
        [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, JsonElement> Outputs,
        [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
        [property: JsonPropertyName("ReturnValue")] JsonElement? ReturnValue);
}
