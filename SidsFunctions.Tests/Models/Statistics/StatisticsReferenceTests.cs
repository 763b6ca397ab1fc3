using SidsFunctions.Tests.Infrastructure;
using SidsModels.Common;
using SidsModels.Statistics;

namespace SidsFunctions.Tests.Models.Statistics;

/// <summary>
/// Quantiles against numpy's default (linear) <c>quantile</c> (reference/quantiles.json, tolerance 1e-12) and
/// correlation against pandas 1.5.3 <c>DataFrame.corr()</c> (reference/correlation.json, tolerance 1e-9;
/// null = NaN, an undefined correlation). Both made by the shared tools/ref/make_reference.py.
/// </summary>
[Trait("Category", "Reference")]
public sealed class StatisticsReferenceTests
{
    public static IEnumerable<object[]> QuantileCases => Fixtures.CaseIndices("quantiles.json");

    public static IEnumerable<object[]> CorrelationCases => Fixtures.CaseIndices("correlation.json");

    [Theory]
    [MemberData(nameof(QuantileCases))]
    public void LinearQuantilesMatchNumpy(string file, int index)
    {
        var c = Fixtures.Cases(file)[index];
        var values = Fixtures.Doubles(c["values"]);
        var q = Fixtures.Doubles(c["q"]);
        var expected = Fixtures.Doubles(c["expected"]);

        MatrixAssert.Equal(expected, Quantiles.Linear(values, q), 1e-12, $"case {index}");
        for (var i = 0; i < q.Length; i++)
        {
            MatrixAssert.Close(expected[i], Quantiles.Linear(values, q[i]), 1e-12, $"case {index} q={q[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(CorrelationCases))]
    public void CorrelationMatrixMatchesPandas(string file, int index)
    {
        var c = Fixtures.Cases(file)[index];
        var x = FeatureMatrix.FromRows(Fixtures.Rows(c["x"]));

        MatrixAssert.Equal(Fixtures.Rows(c["corr"]), Correlation.Matrix(x), 1e-9, $"case {index}");
    }

    [Theory]
    [MemberData(nameof(CorrelationCases))]
    public void PairCorrelationEqualsTheMatrixCell(string file, int index)
    {
        var c = Fixtures.Cases(file)[index];
        var x = FeatureMatrix.FromRows(Fixtures.Rows(c["x"]));
        var expected = Fixtures.Rows(c["corr"]);

        for (var a = 0; a < x.Columns; a++)
        {
            for (var b = 0; b < x.Columns; b++)
            {
                MatrixAssert.Close(expected[a][b], Correlation.Pearson(x.Column(a), x.Column(b)), 1e-9, $"case {index} ({a},{b})");
            }
        }
    }
}
