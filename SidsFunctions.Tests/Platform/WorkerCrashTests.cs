using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Platform;

/// <summary>The real worker dying under the host: the host says so, with the exit code, instead of hanging.</summary>
public sealed class WorkerCrashTests
{
    [Fact]
    public async Task AKilledWorkerIsReportedByTheHost()
    {
        await using var app = new ConfiguredAppFactory(new Dictionary<string, string?>());
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var started = await app.WaitForLogAsync(l => l.Contains("Worker process ", StringComparison.Ordinal) && l.Contains(" started", StringComparison.Ordinal));
        var pid = int.Parse(Regex.Match(started, @"Worker process (\d+) started").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        using (var worker = Process.GetProcessById(pid))
        {
            worker.Kill();
            await worker.WaitForExitAsync();
        }

        await app.WaitForLogAsync(l => l.Contains("The worker process exited unexpectedly", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }
}
