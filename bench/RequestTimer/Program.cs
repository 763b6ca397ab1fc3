// One two-level request timed in-process, each run on a fresh model so that level one is computed every time:
// wall and process CPU seconds, the stage timings and the chosen model. The first run includes compiling the code.
//   dotnet run -c Release --project bench/RequestTimer -- [TARGET YEAR INTERPOLATOR MODEL INTERVAL TREES PREDICTORS SCHEME RUNS APPROACH]
//   e.g. -- key-wdi-EG.FEC.RNEW.ZS 2012 IterativeImputer all quantile 1000 20 AFS 2 year_by_year
// The data folder is DATA (default ../shared/data/sids); MANUAL=code,code gives the MANUAL scheme's predictors.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SidsModels.Data;
using SidsModels.TwoLevelImputation;

string Arg(int i, string fallback) => args.Length > i ? args[i] : fallback;
// The request's names as the API spells them (rfr, quantile, year_by_year, ...).
var names = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
T Named<T>(int i, string fallback) => JsonSerializer.Deserialize<T>($"\"{Arg(i, fallback)}\"", names)!;

var table = IndicatorTableLoader.LoadFolder(Environment.GetEnvironmentVariable("DATA") ?? Path.Combine("..", "shared", "data", "sids"));
var catalog = new TwoLevelCatalog(table);
var target = Arg(0, "key-wdi-EG.FEC.RNEW.ZS");
var request = new TwoLevelRequest(
    int.Parse(Arg(1, "2012"), CultureInfo.InvariantCulture), target, target.Split('-')[0],
    Named<Scheme>(7, "AFS"), Environment.GetEnvironmentVariable("MANUAL")?.Split(','), int.Parse(Arg(6, "20"), CultureInfo.InvariantCulture),
    Named<Interpolator>(2, "KNNImputer"),
    int.Parse(Arg(5, "1000"), CultureInfo.InvariantCulture), Named<ModelKind>(3, "all"), Named<IntervalKind>(4, "quantile"),
    Named<Approach>(9, "year_by_year"));
var process = Process.GetCurrentProcess();
for (var run = 0; run < int.Parse(Arg(8, "2"), CultureInfo.InvariantCulture); run++)
{
    var model = new TwoLevelImputationModel(catalog);
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var result = await model.RunAsync(request);
    process.Refresh();
    var t = result.Timings;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run + 1}: wall {clock.Elapsed.TotalSeconds:F2} s, CPU {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s; level one {t.LevelOne.TotalMilliseconds:F0} ms, selection {t.Selection.TotalMilliseconds:F0} ms, grid search {t.GridSearch.TotalMilliseconds:F0} ms, intervals {t.Intervals.TotalMilliseconds:F0} ms; {result.Model.Kind} max_depth={result.Model.MaxDepth?.ToString(CultureInfo.InvariantCulture) ?? "None"}, rmse {result.Rmse:G6}"));
}
