using SidsModels.Common;

namespace SidsModels.Imputation;

/// <summary>A fitted imputation: fills the gaps of rows with the columns it was fitted on. Immutable, thread-safe.</summary>
public interface IFittedImputer
{
    /// <summary>The number of input columns.</summary>
    int Columns { get; }

    /// <summary>The input columns present in the output, ascending: those with at least one fitted value.</summary>
    IReadOnlyList<int> KeptColumns { get; }

    /// <summary>The kept columns of <paramref name="x"/> with every NaN imputed; a new matrix.</summary>
    FeatureMatrix Transform(FeatureMatrix x, CancellationToken cancellationToken = default);
}
