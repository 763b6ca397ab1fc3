using SidsModels.Common;

namespace SidsModels.Selection;

/// <summary>
/// Unshuffled K-fold splits as scikit-learn's <c>KFold(k)</c> (what <c>cv=5</c> means for a regressor):
/// consecutive test blocks, the first <c>n % k</c> of them one row larger.
/// </summary>
public static class KFold
{
    /// <exception cref="InvalidInputException">Fewer samples than folds.</exception>
    public static IReadOnlyList<Fold> Split(int samples, int folds = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (samples < folds)
        {
            throw new InvalidInputException(
                $"{folds}-fold cross-validation needs at least {folds} samples with a known target; there are {samples}.");
        }
        var result = new Fold[folds];
        var start = 0;
        for (var k = 0; k < folds; k++)
        {
            var size = samples / folds + (k < samples % folds ? 1 : 0);
            var test = new int[size];
            var train = new int[samples - size];
            for (var i = 0; i < size; i++)
            {
                test[i] = start + i;
            }
            var t = 0;
            for (var i = 0; i < samples; i++)
            {
                if (i < start || i >= start + size)
                {
                    train[t++] = i;
                }
            }
            result[k] = new Fold(train, test);
            start += size;
        }
        return result;
    }
}
