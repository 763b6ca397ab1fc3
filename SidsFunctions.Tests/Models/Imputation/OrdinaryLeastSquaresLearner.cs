using MathNet.Numerics.LinearAlgebra;
using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Imputation;

/// <summary>
/// A deterministic estimator for comparing <c>IterativeImputer</c> with scikit-learn step for step: ordinary
/// least squares with an intercept, as <c>LinearRegression()</c> fits it — centre x and y, solve the centred
/// least-squares problem (here by QR; scikit-learn uses LAPACK's gelsd, the same solution for full-rank
/// data), intercept = ȳ − x̄·β. Weights are not supported (the imputer passes none).
/// </summary>
internal sealed class OrdinaryLeastSquaresLearner : IRegressionLearner
{
    public IRegressionModel Learn(FeatureMatrix x, ReadOnlySpan<double> y, ReadOnlySpan<double> weights, CancellationToken cancellationToken = default)
    {
        Assert.True(weights.IsEmpty, "The test learner takes no weights.");
        var rows = x.Rows;
        var columns = x.Columns;
        var xMean = new double[columns];
        for (var c = 0; c < columns; c++)
        {
            xMean[c] = x.Column(c).Average();
        }
        var yMean = 0.0;
        foreach (var v in y)
        {
            yMean += v;
        }
        yMean /= rows;
        var centred = Matrix<double>.Build.Dense(rows, columns, (r, c) => x[r, c] - xMean[c]);
        var target = Vector<double>.Build.Dense(rows);
        for (var r = 0; r < rows; r++)
        {
            target[r] = y[r] - yMean;
        }
        var coefficients = centred.QR().Solve(target).ToArray();
        var intercept = yMean;
        for (var c = 0; c < columns; c++)
        {
            intercept -= xMean[c] * coefficients[c];
        }
        return new Model(coefficients, intercept);
    }

    private sealed class Model(double[] coefficients, double intercept) : IRegressionModel
    {
        public int FeatureCount => coefficients.Length;

        public IReadOnlyList<double> FeatureImportances
        {
            get
            {
                var total = coefficients.Sum(Math.Abs);
                return coefficients.Select(c => total == 0 ? 0 : Math.Abs(c) / total).ToArray();
            }
        }

        public double Predict(ReadOnlySpan<double> row)
        {
            var result = intercept;
            for (var c = 0; c < coefficients.Length; c++)
            {
                result += coefficients[c] * row[c];
            }
            return result;
        }
    }
}
