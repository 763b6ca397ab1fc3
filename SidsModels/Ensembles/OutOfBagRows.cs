using SidsModels.Common;

namespace SidsModels.Ensembles;

/// <summary>
/// Which training rows each tree of a random forest left out of its bootstrap sample (about 37% of them): the
/// trees that never saw a row predict it as held-out rows are predicted, which scores a forest without
/// cross-validation. Immutable.
/// </summary>
public sealed class OutOfBagRows
{
    private readonly bool[] outOfBag;

    internal OutOfBagRows(int trees, int rows, bool[] outOfBag)
    {
        (Trees, Rows, this.outOfBag) = (trees, rows, outOfBag);
    }

    public int Trees { get; }

    public int Rows { get; }

    public bool IsOutOfBag(int tree, int row) => outOfBag[tree * Rows + row];

    /// <summary>
    /// Each training row's out-of-bag prediction: the mean of the trees that left it out, from the rows × trees
    /// predictions of the training rows (<see cref="TreeEnsembleModelExtensions.PredictPerTree"/>). A row every tree
    /// saw (about 0.63^trees of the rows: none, for 100 trees) gets the mean of all the trees.
    /// </summary>
    public double[] Predictions(FeatureMatrix perTree)
    {
        CheckShape(perTree);
        var result = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var row = perTree.Row(r);
            var (sum, count, all) = (0.0, 0, 0.0);
            for (var t = 0; t < Trees; t++)
            {
                all += row[t];
                if (outOfBag[t * Rows + r])
                {
                    sum += row[t];
                    count++;
                }
            }
            result[r] = count > 0 ? sum / count : all / Trees;
        }
        return result;
    }

    /// <summary>The trees' predictions of training row <paramref name="row"/> by the trees that left it out (all trees, if none did).</summary>
    public double[] OutOfBagTreePredictions(FeatureMatrix perTree, int row)
    {
        CheckShape(perTree);
        var values = perTree.Row(row);
        var kept = new List<double>(Trees / 2);
        for (var t = 0; t < Trees; t++)
        {
            if (outOfBag[t * Rows + row])
            {
                kept.Add(values[t]);
            }
        }
        return kept.Count > 0 ? kept.ToArray() : values.ToArray();
    }

    private void CheckShape(FeatureMatrix perTree)
    {
        if (perTree.Rows != Rows || perTree.Columns != Trees)
        {
            throw new ArgumentException($"Expected {Rows} rows × {Trees} trees of predictions, got {perTree.Rows} × {perTree.Columns}.", nameof(perTree));
        }
    }
}
