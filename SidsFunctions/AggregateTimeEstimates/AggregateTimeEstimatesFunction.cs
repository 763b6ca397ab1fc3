using Microsoft.Azure.Functions.Worker;
using SidsFunctions.Storage;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.AggregateTimeEstimates;

/// <summary>
/// The AggregateTimeEstimates timer function: on <c>TIME_ESTIMATE_SCHEDULE</c> (NCRONTAB, hourly by default)
/// it turns the logged predict durations into the time_consumption document that /twolvlImp/estimate reads.
/// The Functions host fires it (and runs it on demand: <c>POST /admin/functions/AggregateTimeEstimates</c>);
/// a failed run fails the invocation, and the next occurrence runs as planned.
/// </summary>
public sealed class AggregateTimeEstimatesFunction(TimeEstimateAggregator aggregator, ILogger<AggregateTimeEstimatesFunction> logger)
{
    public const string Name = "AggregateTimeEstimates";

    [Function(Name)]
    public async Task Run([TimerTrigger("%" + Hosting.SettingNames.TimeEstimateSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer.IsPastDue)
        {
            logger.LogInformation("AggregateTimeEstimates: the timer is past due");
        }
        try
        {
            await aggregator.RunAsync(cancellationToken);
        }
        catch (BlobStorageException e)
        {
            logger.LogError("AggregateTimeEstimates failed: {Error}", e.Message);
            throw;
        }
    }
}
