using MathNet.Numerics.LinearAlgebra;
using SidsModels.Common;
using SidsModels.Statistics;

namespace SidsModels.Selection;

/// <summary>
/// Ranks features for the two-level model's PCA scheme: which predictors best span the data's principal
/// directions.
/// </summary>
/// <remarks>
/// <para><b>Components.</b> As the Python backend's <c>pca</c> package with its defaults
/// (<c>pca()</c>: <c>normalize=False</c>, <c>n_components=0.95</c>), which runs scikit-learn's PCA: the
/// columns are centred (mean subtracted) and <i>not</i> scaled, the centred matrix is decomposed by SVD
/// (MathNet.Numerics), component i explains S_i² / Σ S² of the variance, and the leading components are
/// kept up to and including the first whose cumulative share reaches 95% (the package's
/// <c>min(where(cumsum ≥ 0.95)) + 1</c>). The loadings are the components' (unit) coefficient vectors;
/// only their absolute values matter, so the SVD's sign choice does not.</para>
/// <para><b>Ranking.</b> First, for each kept component in order, the not-yet-ranked feature with the
/// largest absolute loading on it; then the remaining features by their largest absolute loading on any
/// kept component, descending. Ties go to the lower column index. This fixes the package's
/// <c>topfeat</c> table, which the backend read the first n rows of: there a feature that leads several
/// components appears several times (so fewer than n distinct predictors came back), and the remaining
/// ("weak") features were listed in column order rather than by loading.</para>
/// <para>Data with no variance at all (one row, or constant columns only) keeps no component and ranks
/// the features in column order. Input must be complete (no NaN): impute first. Near-equal loadings may
/// order differently from LAPACK's in the last bits.</para>
/// </remarks>
public sealed class PcaFeatureRanking
{
    /// <summary>The pca package's default share of variance the kept components must explain.</summary>
    public const double DefaultVarianceToExplain = 0.95;

    private PcaFeatureRanking(int[] ranking, double[] explainedVarianceRatio, FeatureMatrix loadings)
    {
        Ranking = Array.AsReadOnly(ranking);
        ExplainedVarianceRatio = Array.AsReadOnly(explainedVarianceRatio);
        Loadings = loadings;
    }

    /// <summary>Every column index, best first.</summary>
    public IReadOnlyList<int> Ranking { get; }

    /// <summary>Each component's share of the total variance (all components, largest first).</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>How many leading components were kept.</summary>
    public int ComponentCount => Loadings.Rows;

    /// <summary>The kept components' loadings: components × features (a copy is yours to keep).</summary>
    public FeatureMatrix Loadings { get; }

    /// <param name="x">Samples × features, complete, at least one row.</param>
    /// <param name="varianceToExplain">The cumulative share of variance the kept components reach, in (0, 1].</param>
    public static PcaFeatureRanking Rank(FeatureMatrix x, double varianceToExplain = DefaultVarianceToExplain)
    {
        MatrixChecks.RequireRows(x, nameof(x));
        MatrixChecks.RequireFinite(x, nameof(x));
        if (!(varianceToExplain > 0 && varianceToExplain <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(varianceToExplain), varianceToExplain, "The share of variance must lie in (0, 1].");
        }
        var (components, singularValues) = PrincipalAxes(x);

        var squares = new double[singularValues.Length];
        var total = 0.0;
        for (var i = 0; i < squares.Length; i++)
        {
            squares[i] = singularValues[i] * singularValues[i];
            total += squares[i];
        }
        var ratio = new double[squares.Length];
        var kept = 0;
        if (total > 0)
        {
            var cumulative = 0.0;
            for (var i = 0; i < ratio.Length; i++)
            {
                ratio[i] = squares[i] / total;
                cumulative += ratio[i];
                if (kept == 0 && cumulative >= varianceToExplain)
                {
                    kept = i + 1;
                }
            }
            // Rounding can leave the full sum a hair under a share of 1: then every component is needed.
            kept = kept == 0 ? ratio.Length : kept;
        }

        var features = x.Columns;
        var loadings = new double[kept * features];
        for (var i = 0; i < kept; i++)
        {
            for (var f = 0; f < features; f++)
            {
                loadings[i * features + f] = components[i, f];
            }
        }
        return new PcaFeatureRanking(RankByLoadings(loadings, kept, features), ratio, new FeatureMatrix(kept, features, loadings));
    }

    // Right singular vectors (as rows) and singular values of the centred data, largest first.
    private static (Matrix<double> Components, double[] SingularValues) PrincipalAxes(FeatureMatrix x)
    {
        var rows = x.Rows;
        var columns = x.Columns;
        var mean = new double[columns];
        for (var r = 0; r < rows; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < columns; c++)
            {
                mean[c] += row[c];
            }
        }
        for (var c = 0; c < columns; c++)
        {
            mean[c] /= rows;
        }
        // Decompose the tall orientation: for fewer rows than columns, Xcᵀ = U S Vᵀ gives Xc's components as Uᵀ.
        var tall = rows >= columns;
        var centred = tall
            ? Matrix<double>.Build.Dense(rows, columns, (r, c) => x[r, c] - mean[c])
            : Matrix<double>.Build.Dense(columns, rows, (c, r) => x[r, c] - mean[c]);
        var svd = centred.Svd(computeVectors: true);
        var count = Math.Min(rows, columns);
        var singularValues = svd.S.SubVector(0, count).ToArray();
        var components = tall ? svd.VT.SubMatrix(0, count, 0, columns) : svd.U.SubMatrix(0, columns, 0, count).Transpose();
        return (components, singularValues);
    }

    private static int[] RankByLoadings(double[] loadings, int components, int features)
    {
        var ranking = new List<int>(features);
        var taken = new bool[features];
        for (var i = 0; i < components && ranking.Count < features; i++)
        {
            var best = -1;
            var bestLoading = -1.0;
            for (var f = 0; f < features; f++)
            {
                var loading = Math.Abs(loadings[i * features + f]);
                if (!taken[f] && loading > bestLoading)
                {
                    best = f;
                    bestLoading = loading;
                }
            }
            taken[best] = true;
            ranking.Add(best);
        }
        var strongest = new double[features];
        for (var f = 0; f < features; f++)
        {
            for (var i = 0; i < components; i++)
            {
                strongest[f] = Math.Max(strongest[f], Math.Abs(loadings[i * features + f]));
            }
        }
        var rest = Enumerable.Range(0, features).Where(f => !taken[f]).ToList();
        // List.Sort is not stable; comparing the index second makes the order total.
        rest.Sort((a, b) => strongest[b] != strongest[a] ? strongest[b].CompareTo(strongest[a]) : a.CompareTo(b));
        ranking.AddRange(rest);
        return ranking.ToArray();
    }
}
