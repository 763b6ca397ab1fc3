using SidsModels.Common;

namespace SidsModels.Statistics;

/// <summary>Shape and value checks shared by the scalers, imputers and statistics (programming errors: the
/// callers build these matrices, users never do, so they throw <see cref="ArgumentException"/>).</summary>
internal static class MatrixChecks
{
    /// <summary>NaN marks a missing value; infinities are rejected as scikit-learn rejects them.</summary>
    public static void RequireFiniteOrNaN(FeatureMatrix x, string paramName)
    {
        foreach (var v in x.Values)
        {
            if (double.IsInfinity(v))
            {
                throw new ArgumentException("Values must be finite or NaN (missing); found an infinity.", paramName);
            }
        }
    }

    public static void RequireFinite(FeatureMatrix x, string paramName)
    {
        foreach (var v in x.Values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("Values must be finite: no NaN or infinity.", paramName);
            }
        }
    }

    public static void RequireRows(FeatureMatrix x, string paramName)
    {
        if (x.Rows == 0)
        {
            throw new ArgumentException("At least one row is needed to fit.", paramName);
        }
    }

    public static void RequireColumns(FeatureMatrix x, int columns, string paramName)
    {
        if (x.Columns != columns)
        {
            throw new ArgumentException($"Expected {columns} columns (as fitted), got {x.Columns}.", paramName);
        }
    }
}
