namespace SidsModels.Trees;

/// <summary>The impurity a split reduces.</summary>
public enum SplitCriterion
{
    /// <summary>Weighted variance (scikit-learn's <c>squared_error</c>).</summary>
    SquaredError,

    /// <summary>Friedman's improvement score, which gradient boosting uses (<c>friedman_mse</c>).</summary>
    FriedmanMse,
}
