// Two-level requests timed in-process, each run on a fresh model so that level one and the selection are computed
// every time. The first run includes compiling the code.
// One request: wall and process CPU seconds, the stage timings and the chosen model, per run.
//   dotnet run -c Release --project bench/RequestTimer -- [TARGET YEAR INTERPOLATOR MODEL INTERVAL TREES PREDICTORS SCHEME RUNS APPROACH]
//   e.g. -- key-wdi-EG.FEC.RNEW.ZS 2012 IterativeImputer all quantile 1000 20 AFS 2 year_by_year
// A panel (`panel.py random` writes one, `panel.py mask` its data folder): every target-year under a config file's settings,
// the approaches alternated ROUNDS times; per target-year the median milliseconds (wall, then level one, selection, grid,
// intervals) per approach and a temporal answer's models, then their sums over the panel.
//   dotnet run -c Release --project bench/RequestTimer -- --panel PANEL_JSON CONFIG_JSON ROUNDS [year_by_year,temporal]
// The data folder is DATA (default ../shared/data/sids); MANUAL=code,code gives the MANUAL scheme's predictors.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SidsModels.Data;
using SidsModels.TwoLevelImputation;

string Arg(int i, string fallback) => args.Length > i ? args[i] : fallback;
// The request's names as the API spells them (rfr, quantile, year_by_year, ...).
var names = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
T Named<T>(string name) => JsonSerializer.Deserialize<T>($"\"{name}\"", names)!;
TwoLevelRequest Request(string target, string year, string interpolator, string model, string interval, string trees, string predictors,
    string scheme, string approach) =>
    new(int.Parse(year, CultureInfo.InvariantCulture), target, target.Split('-')[0], Named<Scheme>(scheme),
        Environment.GetEnvironmentVariable("MANUAL")?.Split(','), int.Parse(predictors, CultureInfo.InvariantCulture),
        Named<Interpolator>(interpolator), int.Parse(trees, CultureInfo.InvariantCulture), Named<ModelKind>(model),
        Named<IntervalKind>(interval), Named<Approach>(approach));

var table = IndicatorTableLoader.LoadFolder(Environment.GetEnvironmentVariable("DATA") ?? Path.Combine("..", "shared", "data", "sids"));
var catalog = new TwoLevelCatalog(table);
async Task<(TwoLevelResult Result, TimeSpan Wall)> Time(TwoLevelRequest request)
{
    var model = new TwoLevelImputationModel(catalog);
    var clock = Stopwatch.StartNew();
    var result = await model.RunAsync(request);
    return (result, clock.Elapsed);
}

if (Arg(0, "") == "--panel")
{
    await Panel(JsonNode.Parse(File.ReadAllText(args[1]))!.AsArray(), JsonNode.Parse(File.ReadAllText(args[2]))!.AsObject(),
        int.Parse(Arg(3, "3"), CultureInfo.InvariantCulture), Arg(4, "year_by_year,temporal").Split(','));
    return;
}

var request = Request(Arg(0, "key-wdi-EG.FEC.RNEW.ZS"), Arg(1, "2012"), Arg(2, "KNNImputer"), Arg(3, "all"), Arg(4, "quantile"), Arg(5, "1000"),
    Arg(6, "20"), Arg(7, "AFS"), Arg(9, "year_by_year"));
var process = Process.GetCurrentProcess();
for (var run = 0; run < int.Parse(Arg(8, "2"), CultureInfo.InvariantCulture); run++)
{
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    var (result, wall) = await Time(request);
    process.Refresh();
    var t = result.Timings;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {run + 1}: wall {wall.TotalSeconds:F2} s, CPU {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s; level one {t.LevelOne.TotalMilliseconds:F0} ms, selection {t.Selection.TotalMilliseconds:F0} ms, grid search {t.GridSearch.TotalMilliseconds:F0} ms, intervals {t.Intervals.TotalMilliseconds:F0} ms; {result.Model.Kind} max_depth={result.Model.MaxDepth?.ToString(CultureInfo.InvariantCulture) ?? "None"}, rmse {result.Rmse:G6}"));
}

async Task Panel(JsonArray panel, JsonObject config, int rounds, string[] approaches)
{
    string Setting(string field, string fallback) => config[field]?.ToString() ?? fallback;
    // Per approach, per target-year: medians of wall, level one, selection, grid search, intervals (ms).
    var medians = approaches.ToDictionary(a => a, _ => new List<double[]>());
    foreach (var item in panel)
    {
        var (target, year) = (item!["target"]!.ToString(), item["year"]!.ToString());
        var runs = approaches.ToDictionary(a => a, _ => new List<double[]>());
        var line = new System.Text.StringBuilder($"{target} {year}");
        for (var round = 0; round < rounds; round++)
        {
            foreach (var approach in approaches)
            {
                var (result, wall) = await Time(Request(target, year, Setting("interpolator", "KNNImputer"), Setting("model", "rfr"),
                    Setting("interval", "quantile"), Setting("estimators", "100"), Setting("number_predictor", "10"), Setting("scheme", "AFS"), approach));
                var t = result.Timings;
                runs[approach].Add([wall.TotalMilliseconds, t.LevelOne.TotalMilliseconds, t.Selection.TotalMilliseconds,
                    t.GridSearch.TotalMilliseconds, t.Intervals.TotalMilliseconds]);
                if (round == 0 && result.Temporal is { } temporal)
                {
                    line.Append(" [models: ").AppendJoin(", ", temporal.Models.Select(m => string.Create(CultureInfo.InvariantCulture,
                        $"d={m.Distance?.ToString(CultureInfo.InvariantCulture) ?? "none"} n={m.Countries.Count} w={m.YearByYearShare:F1} {m.Model.Kind}/{m.Model.MaxDepth?.ToString(CultureInfo.InvariantCulture) ?? "None"}"))).Append(']');
                }
            }
        }
        foreach (var approach in approaches)
        {
            var median = Enumerable.Range(0, 5).Select(k => Median(runs[approach].Select(v => v[k]))).ToArray();
            medians[approach].Add(median);
            line.Append(string.Create(CultureInfo.InvariantCulture,
                $" | {approach} {median[0]:F0} ms (level one {median[1]:F0}, selection {median[2]:F0}, grid {median[3]:F0}, intervals {median[4]:F0})"));
        }
        Console.WriteLine(line);
    }
    foreach (var approach in approaches)
    {
        var sums = Enumerable.Range(0, 5).Select(k => medians[approach].Sum(v => v[k])).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sum {approach}: {sums[0]:F0} ms (level one {sums[1]:F0}, selection {sums[2]:F0}, grid {sums[3]:F0}, intervals {sums[4]:F0}); median request {Median(medians[approach].Select(v => v[0])):F0} ms"));
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}
