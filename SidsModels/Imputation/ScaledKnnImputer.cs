using SidsModels.Common;
using SidsModels.Statistics;

namespace SidsModels.Imputation;

/// <summary>
/// Nearest-neighbour imputation on min-max scaled values (<see cref="MinMaxScaler"/>, then <see cref="KnnImputer"/>),
/// answered in the original units: without the scaling the distances follow the indicators with the largest
/// units (GDP in dollars), whatever the target. The two-level model's "KNNImputer" level one.
/// </summary>
public sealed class ScaledKnnImputer : IFittedImputer
{
    private readonly MinMaxScaler scaler;
    private readonly KnnImputerModel knn;
    private readonly MinMaxScaler back;

    private ScaledKnnImputer(MinMaxScaler scaler, KnnImputerModel knn)
    {
        this.scaler = scaler;
        this.knn = knn;
        back = scaler.SelectColumns(knn.KeptColumns.ToArray());
    }

    /// <summary>Fits the scaling and the donors on <paramref name="x"/> (at least one row; NaN = missing).</summary>
    public static ScaledKnnImputer Fit(FeatureMatrix x, int neighbours)
    {
        var scaler = MinMaxScaler.Fit(x);
        return new ScaledKnnImputer(scaler, new KnnImputer(new KnnImputerOptions(neighbours)).Fit(scaler.Transform(x)));
    }

    public int Columns => knn.Columns;

    public IReadOnlyList<int> KeptColumns => knn.KeptColumns;

    public FeatureMatrix Transform(FeatureMatrix x, CancellationToken cancellationToken = default) =>
        back.InverseTransform(knn.Transform(scaler.Transform(x), cancellationToken));
}
