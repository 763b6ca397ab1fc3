using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SidsFunctions.Hosting;
using SidsFunctions.Storage;
using SidsFunctions.Tests.Infrastructure;
using SidsFunctions.Tests.TimeEstimates;
using SidsFunctions.TimeEstimates;

namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>
/// What every predict leaves behind: the "Time Consumed" log line the Python backend's time-estimate query
/// parsed, and one duration record (a computation as "ok", an answer from the cache as "cached"); and a
/// client that goes away stops the computation.
/// </summary>
public sealed class PredictRecordsTests(SidsAppFactory factory) : IClassFixture<SidsAppFactory>
{
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue(formatter(state, exception));
        }
    }

    private static object Body(int estimators) => new
    {
        manual_predictors = new[] { "wdi-AG.LND.AGRI.K2" }, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer",
        scheme = "MANUAL", estimators, model = "rfr", interval = "quantile", dataset = "key",
    };

    [Fact]
    public async Task EachPredictLogsItsTimeConsumedLineAndRecordsOneDuration()
    {
        var logs = new CapturedLogs();
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Body(7))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/twolvlImp/predict", Body(7))).StatusCode);

        var lines = logs.Lines.Where(l => l.StartsWith("Time Consumed(s)=", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^Time Consumed\(s\)=\d+\.\d{3} scheme=MANUAL model=rfr estimators=7 predictors=1 interpolator=KNNImputer ", l));
        Assert.EndsWith("status=ok", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("status=cached", lines[1], StringComparison.Ordinal);

        var log = app.Services.GetRequiredService<DurationLog>();
        Assert.True(await log.FlushAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token));
        var options = app.Services.GetRequiredService<TimeEstimateOptions>();
        var records = await Durations.ReadAsync(app.Services.GetRequiredService<IBlobStore>(), options.DurationsContainer,
            options.DurationsBlob(DateOnly.FromDateTime(DateTime.UtcNow)));
        Assert.Equal([PredictDuration.Succeeded, PredictDuration.Cached],
            records.Where(r => r.Duration.Estimators == 7).Select(r => r.Duration.Status));
        Assert.All(records, r => Assert.Equal("MANUAL", r.Duration.Scheme));
    }

    [Fact]
    public async Task AClientThatGoesAwayStopsItsComputation()
    {
        var logs = new CapturedLogs();
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var client = app.CreateClient();
        var heavy = new
        {
            number_predictor = 20, target_year = "2001", target = "key-wdi-EG.ELC.ACCS.ZS", interpolator = "KNNImputer", scheme = "AFS",
            estimators = 999, model = "all", interval = "conformal", dataset = "key",
        };
        // Started and loaded first: on a busy machine the 300 ms could otherwise pass before the predict begins.
        await Durations.Eventually(async () => (await client.GetAsync("/twolvlImp/target_sample_size")).IsSuccessStatusCode, "the app to load its dataset");
        using var goes = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PostAsync("/twolvlImp/predict",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(heavy), System.Text.Encoding.UTF8, "application/json"), goes.Token));

        // The predict ends as refused, without a finished computation; one that ignored its client would
        // finish its training, log its stages and end as "ok".
        string? line = null;
        await Durations.Eventually(() => Task.FromResult((line = logs.Lines.FirstOrDefault(l =>
            l.StartsWith("Time Consumed", StringComparison.Ordinal) && l.Contains("estimators=999", StringComparison.Ordinal))) is not null),
            "the predict to end", seconds: 120);
        Assert.EndsWith("status=refused", line, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Stages (ms)", StringComparison.Ordinal));
        var gate = app.Services.GetRequiredService<ComputeGate>();
        await Durations.Eventually(() => Task.FromResult(gate.Admitted == 0), "the gate to empty");
    }
}
