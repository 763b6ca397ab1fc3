using SidsModels.Trees;

namespace SidsModels.Ensembles;

/// <summary>An ensemble's feature importances from its trees', as scikit-learn combines them.</summary>
internal static class Importances
{
    /// <summary>
    /// Sums of the relevant trees' importances → their mean, normalised to sum 1 with numpy's pairwise sum
    /// (all zero when no tree split). Works in place on <paramref name="sums"/> and returns it.
    /// </summary>
    public static double[] MeanNormalised(double[] sums, int relevant)
    {
        if (relevant == 0)
        {
            return sums;
        }
        for (var f = 0; f < sums.Length; f++)
        {
            sums[f] /= relevant;
        }
        var total = NumpySum.Pairwise(sums);
        for (var f = 0; f < sums.Length; f++)
        {
            sums[f] /= total;
        }
        return sums;
    }
}
