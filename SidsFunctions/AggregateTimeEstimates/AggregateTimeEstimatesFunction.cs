using SidsFunctions.Hosting;
using System.Text.Json;
using System.Text.Json.Serialization;
using SidsFunctions.Storage;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.AggregateTimeEstimates;

/// <summary>
/// The AggregateTimeEstimates timer function. The Functions host invokes a custom handler's timer by
/// POSTing the invocation (<c>{"Data":{"timer":{...}},"Metadata":{...}}</c>) to /AggregateTimeEstimates on
/// the schedule of function.json (<c>%TIME_ESTIMATE_SCHEDULE%</c>) and expects the invocation response
/// (<c>{"Outputs":{},"Logs":[...],"ReturnValue":null}</c>) back; a non-2xx answer marks the run failed.
/// Run alone, the app schedules the same work itself (<see cref="TimeEstimateScheduler"/>).
/// </summary>
public static class AggregateTimeEstimatesFunction
{
    public const string Name = "AggregateTimeEstimates";

    public static IEndpointRouteBuilder MapAggregateTimeEstimates(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + Name, Invoke).WithName(Name).WithTags("Timers")
            .WithSummary("Invoked by the Functions host on the timer's schedule (custom-handler invocation contract): "
                         + "aggregates the predict durations into the time_consumption document.")
            .Answers(new InvocationResponse(new Dictionary<string, JsonElement>(), ["time_consumption written: AFS 3 predicts, MANUAL 12 predicts"], null))
            .Produces<InvocationResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> Invoke(HttpContext context, TimeEstimateAggregator aggregator, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AggregateTimeEstimatesFunction).FullName!);
        var logs = new List<string>();
        if (await IsPastDueAsync(context))
        {
            logs.Add("the timer is past due");
        }
        try
        {
            var result = await aggregator.RunAsync(context.RequestAborted);
            logs.AddRange(result.Log);
            return TypedResults.Json(new InvocationResponse(EmptyOutputs, logs, null));
        }
        catch (BlobStorageException e)
        {
            logger.LogError("AggregateTimeEstimates failed: {Error}", e.Message);
            logs.Add("failed: " + e.Message);
            return TypedResults.Json(new InvocationResponse(EmptyOutputs, logs, null), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static readonly IReadOnlyDictionary<string, JsonElement> EmptyOutputs = new Dictionary<string, JsonElement>();

    /// <summary>The host's Data.timer.IsPastDue; false for any other (or no) body: the run does not depend on it.</summary>
    private static async Task<bool> IsPastDueAsync(HttpContext context)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object
                   && body.RootElement.TryGetProperty("Data", out var data) && data.ValueKind == JsonValueKind.Object
                   && data.TryGetProperty("timer", out var timer) && timer.ValueKind == JsonValueKind.Object
                   && timer.TryGetProperty("IsPastDue", out var pastDue) && pastDue.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The custom-handler invocation response: no output bindings, log lines, no return value.</summary>
    public sealed record InvocationResponse(
        [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, JsonElement> Outputs,
        [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
        [property: JsonPropertyName("ReturnValue")] JsonElement? ReturnValue);
}
