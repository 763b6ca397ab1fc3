// A panel's requests timed in-process, each run on a fresh model (cold level one), the approaches alternated: per
// target-year the median wall and stage milliseconds per approach (and a temporal answer's models), then their sums.
//   dotnet run -c Release --project bench/PanelTimer -- DATA_DIR PANEL_JSON CONFIG_JSON ROUNDS [year_by_year,temporal]
//   e.g. -- /tmp/m13 /tmp/p13.json ../shared/bench/config-afs.json 3   (panel.py random / mask write the first two)
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SidsModels.Data;
using SidsModels.TwoLevelImputation;

var names = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
T Named<T>(string s) => JsonSerializer.Deserialize<T>($"\"{s}\"", names)!;
var table = IndicatorTableLoader.LoadFolder(args[0]);
var catalog = new TwoLevelCatalog(table);
var panel = JsonNode.Parse(File.ReadAllText(args[1]))!.AsArray();
var cfg = JsonNode.Parse(File.ReadAllText(args[2]))!.AsObject();
var rounds = int.Parse(args[3]);
var approaches = args.Length > 4 ? args[4].Split(',') : new[] { "year_by_year", "temporal" };
var totals = approaches.ToDictionary(a => a, _ => new List<double[]>());
foreach (var item in panel)
{
    var target = (string)item!["target"]!;
    var year = int.Parse((string)item["year"]!, CultureInfo.InvariantCulture);
    var per = approaches.ToDictionary(a => a, _ => new List<double[]>());
    for (var r = 0; r < rounds; r++)
    foreach (var a in approaches)
    {
        var request = new TwoLevelRequest(year, target, target.Split('-')[0], Named<Scheme>((string)cfg["scheme"]!), null,
            (int?)cfg["number_predictor"] ?? 10, Named<Interpolator>((string)cfg["interpolator"]!), (int)cfg["estimators"]!,
            Named<ModelKind>((string)cfg["model"]!), Named<IntervalKind>((string)cfg["interval"]!), Named<Approach>(a));
        var model = new TwoLevelImputationModel(catalog);
        var clock = Stopwatch.StartNew();
        try {
        var result = await model.RunAsync(request);
        var t = result.Timings;
        if (r == 0 && result.Temporal is { } ts) Console.WriteLine("  parts: " + string.Join(", ", ts.Models.Select(m => $"d={m.Distance?.ToString() ?? "-"} n={m.Countries.Count} w={m.YearByYearShare:F1} {m.Model.Kind}/{m.Model.MaxDepth}")));
        per[a].Add([clock.Elapsed.TotalMilliseconds, t.LevelOne.TotalMilliseconds, t.Selection.TotalMilliseconds, t.GridSearch.TotalMilliseconds, t.Intervals.TotalMilliseconds]);
        } catch (Exception e) { Console.WriteLine($"{target} {year} {a}: {e.Message}"); }
    }
    var line = $"{target} {year}";
    foreach (var a in approaches)
    {
        if (per[a].Count == 0) continue;
        var med = Enumerable.Range(0, 5).Select(k => per[a].Select(v => v[k]).Order().ElementAt(per[a].Count / 2)).ToArray();
        totals[a].Add(med);
        line += string.Create(CultureInfo.InvariantCulture, $" | {a}: {med[0]:F0} (l1 {med[1]:F0} sel {med[2]:F0} grid {med[3]:F0} int {med[4]:F0})");
    }
    Console.WriteLine(line);
}
foreach (var a in approaches)
{
    var s = Enumerable.Range(0, 5).Select(k => totals[a].Sum(v => v[k])).ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SUM {a}: {s[0]:F0} ms (l1 {s[1]:F0} sel {s[2]:F0} grid {s[3]:F0} int {s[4]:F0}); median total {totals[a].Select(v => v[0]).Order().ElementAt(totals[a].Count / 2):F0}"));
}
