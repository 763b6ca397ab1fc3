// The iterative imputer's starting point and rounds against its accuracy on the WDI data: 5% of the observed
// predictor values of each target-year's training table are hidden and imputed; the error is the RMSE of the
// hidden values over the column's spread (observed values' standard deviation), averaged over the columns.
// CPU seconds per imputation beside each figure.
//   dotnet run -c Release --project bench/IterativeStart [-- DATA_DIR]
using System.Diagnostics;
using System.Globalization;
using SidsModels.Common;
using SidsModels.Data;
using SidsModels.Ensembles;
using SidsModels.Imputation;
using SidsModels.TwoLevelImputation;

var folder = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "data", "sids");
var table = IndicatorTableLoader.LoadFolder(folder);
(string Target, int Year)[] cases =
[
    ("key-wdi-EG.ELC.ACCS.ZS", 2010), ("wdi-SH.DYN.MORT", 2001), ("wdi-NY.GDP.PCAP.CD", 2018),
    ("key-wdi-SP.DYN.LE00.IN", 2015), ("wdi-AG.PRD.CROP.XD", 2015), ("wdi-SL.EMP.WORK.MA.ZS", 2016),
];

IterativeImputer Iterative(int rounds, bool knnStart, bool vectorised = false, int minSamplesSplit = 2) => new(new IterativeImputerOptions(
    seed => new ExtraTreesLearner(new ForestOptions(Trees: TwoLevelImputationModel.IterativeTrees, Seed: unchecked((int)seed), VectorisedSplits: vectorised,
        MinSamplesSplit: minSamplesSplit)),
    MaxIterations: rounds, Seed: 0,
    InitialImputer: knnStart ? x => ScaledKnnImputer.Fit(x, TwoLevelImputationModel.KnnNeighbours) : null));

(string Name, Func<FeatureMatrix, FeatureMatrix> Impute)[] variants =
[
    ("mean", x => MeanImputer.Fit(x).Transform(x)),
    ("knn", x => ScaledKnnImputer.Fit(x, TwoLevelImputationModel.KnnNeighbours).Transform(x)),
    ("mean start, 1 round", x => Iterative(1, false).FitTransform(x, []).Imputed),
    ("mean start, 2 rounds", x => Iterative(2, false).FitTransform(x, []).Imputed),
    ("knn start, 1 round", x => Iterative(1, true).FitTransform(x, []).Imputed),
    ("knn start, 2 rounds", x => Iterative(2, true).FitTransform(x, []).Imputed),
    ("knn start, 1 round, vectorised", x => Iterative(1, true, true).FitTransform(x, []).Imputed),
    ("knn start, 1 round, vectorised, min_samples_split 5", x => Iterative(1, true, true, 5).FitTransform(x, []).Imputed),
    ("knn start, 1 round, vectorised, min_samples_split 10", x => Iterative(1, true, true, 10).FitTransform(x, []).Imputed),
];
var totals = new double[variants.Length];
var process = Process.GetCurrentProcess();
foreach (var (target, year) in cases)
{
    var x = TrainingData.Build(table, table.YearIndexOf(year), target).Training;
    var random = new Random(year * 7 + target.Length);
    var hidden = x.Copy();
    var cells = new List<(int Row, int Column, double Value)>();
    for (var r = 0; r < x.Rows; r++)
    {
        for (var c = 0; c < x.Columns; c++)
        {
            if (!double.IsNaN(x[r, c]) && random.NextDouble() < 0.05)
            {
                cells.Add((r, c, x[r, c]));
                hidden[r, c] = double.NaN;
            }
        }
    }
    var kept = MeanImputer.Fit(hidden).KeptColumns;
    var position = kept.Select((column, i) => (column, i)).ToDictionary(p => p.column, p => p.i);
    Console.Write(string.Create(CultureInfo.InvariantCulture, $"{target} {year} ({x.Rows} x {x.Columns}, {cells.Count} hidden):"));
    for (var v = 0; v < variants.Length; v++)
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var imputed = variants[v].Impute(hidden);
        process.Refresh();
        var seconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var errors = new List<double>();
        foreach (var column in cells.Where(c => position.ContainsKey(c.Column)).GroupBy(c => c.Column))
        {
            var observed = Enumerable.Range(0, x.Rows).Select(r => hidden[r, column.Key]).Where(d => !double.IsNaN(d)).ToArray();
            var mean = observed.Average();
            var spread = Math.Sqrt(observed.Select(d => (d - mean) * (d - mean)).Average());
            if (spread > 0)
            {
                errors.Add(Math.Sqrt(column.Select(c => Math.Pow(imputed[c.Row, position[c.Column]] - c.Value, 2)).Average()) / spread);
            }
        }
        totals[v] += errors.Average();
        Console.Write(string.Create(CultureInfo.InvariantCulture, $"  {variants[v].Name} {errors.Average():F3} ({seconds:F1} s)"));
    }
    Console.WriteLine();
}
Console.WriteLine("mean over the target-years: " + string.Join(", ",
    variants.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{v.Name} {totals[i] / cases.Length:F3}"))));
