using SidsFunctions.Tests.Infrastructure;
using SidsModels.Common;
using SidsModels.CountryCorrelation;
using SidsModels.Data;

namespace SidsFunctions.Tests.Models.CountryCorrelation;

public sealed class CountryCorrelationModelTests
{
    private static readonly IndicatorTable Table = IndicatorTableLoader.LoadFolder(SidsAppFactory.SampleDatasetFolder);
    private static readonly CountryCorrelationModel Model = new(Table);

    private static double[] Values(string country, string dataset, string category, int year)
    {
        var y = Table.YearIndexOf(year);
        var c = Table.CountryIndexOf(country);
        return Table.IndicatorMeta.Where(m => m.Dataset == dataset && m.Category == category).Select(m => Table.IndicatorIndexOf(m.Code))
            .Distinct().Order().Select(i => Table.Value(c, i, y)).ToArray();
    }

    // Pearson over the indicators both countries report, written out here independently of the model.
    private static double Pearson(double[] a, double[] b)
    {
        var pairs = a.Zip(b).Where(p => !double.IsNaN(p.First) && !double.IsNaN(p.Second)).ToArray();
        if (pairs.Length < 2)
        {
            return double.NaN;
        }
        var (ma, mb) = (pairs.Average(p => p.First), pairs.Average(p => p.Second));
        var cov = pairs.Sum(p => (p.First - ma) * (p.Second - mb));
        var va = pairs.Sum(p => (p.First - ma) * (p.First - ma));
        var vb = pairs.Sum(p => (p.Second - mb) * (p.Second - mb));
        return va == 0 || vb == 0 ? double.NaN : cov / Math.Sqrt(va * vb);
    }

    [Theory]
    [InlineData("wdi", "Health", "FJI", 2010)]
    [InlineData("wdi", "Environment", "BRB", 2003)]
    [InlineData("key", "Profile", "TON", 2015)]
    public void CorrelationsArePairwiseCompletePearsonHighestFirstUndefinedLast(string dataset, string category, string country, int year)
    {
        var result = Model.Correlate(new IndicatorGroup(dataset, category, year, false), country);
        Assert.DoesNotContain(result, r => r.Country == country);
        Assert.All(result, r => Assert.True(SidsCountries.Contains(r.Country)));
        var mine = Values(country, dataset, category, year);
        foreach (var r in result)
        {
            var expected = Pearson(mine, Values(r.Country, dataset, category, year));
            Assert.Equal(double.IsNaN(expected), double.IsNaN(r.Correlation));
            if (!double.IsNaN(expected))
            {
                Assert.Equal(expected, r.Correlation, 1e-12);
            }
        }
        var defined = result.TakeWhile(r => !double.IsNaN(r.Correlation)).Select(r => r.Correlation).ToArray();
        Assert.Equal(defined.OrderDescending(), defined);
        Assert.All(result.Skip(defined.Length), r => Assert.True(double.IsNaN(r.Correlation)));
    }

    [Fact]
    public void StandardizingStopsTheLargestScaleIndicatorFromDeciding()
    {
        var group = new IndicatorGroup("wdi", "Health", 2010, false);
        var raw = Model.Correlate(group, "FJI").Where(r => !double.IsNaN(r.Correlation)).ToArray();
        var standardized = Model.Correlate(group with { Standardize = true }, "FJI").Where(r => !double.IsNaN(r.Correlation)).ToArray();
        Assert.True(raw.Average(r => r.Correlation) > 0.99, "raw values: population dominates");
        Assert.True(standardized.Min(r => r.Correlation) < 0.5);
    }

    [Fact]
    public void ClustersAreDeterministicNumberedByFirstAppearanceAndAtMostTheCountries()
    {
        var group = new IndicatorGroup("wdi", "Health", 2010, true);
        var first = Model.Cluster(group, 4);
        Assert.Equal(first, Model.Cluster(group, 4));
        Assert.Equal(4, first.Select(c => c.Label).Distinct().Count());
        var seen = -1;
        foreach (var label in first.Select(c => c.Label))
        {
            Assert.True(label <= seen + 1, "labels appear in order");
            seen = Math.Max(seen, label);
        }
        Assert.Equal(first.Select(c => c.Country).Order(StringComparer.Ordinal), first.Select(c => c.Country));
        var all = Model.Cluster(group, 1000);
        Assert.Equal(all.Count, all.Select(c => c.Label).Distinct().Count()); // k = min(k, countries)
    }

    [Theory]
    [InlineData("nope", "Health", "FJI", 2010, "dataset", "Invalid dataset nope. Supported datasets: ['key', 'wdi']")]
    [InlineData("wdi", "Sport", "FJI", 2010, "category", "Invalid category Sport for dataset wdi. Supported categories: [")]
    [InlineData("wdi", "Health", "USA", 2010, "country", "Invalid country USA: no SIDS values for wdi / Health in 2010. Countries with values: ['ABW'")]
    [InlineData("wdi", "Health", "FJI", 1999, "year", "Invalid year 1999. Supported years: 2000 to 2019")]
    public void UnknownValuesNameTheAllowedOnes(string dataset, string category, string country, int year, string field, string message)
    {
        var error = Assert.Throws<InvalidInputException>(() => Model.Correlate(new IndicatorGroup(dataset, category, year, false), country));
        Assert.Equal(field, error.Field);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
