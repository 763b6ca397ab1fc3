using System.Text;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Data;

namespace SidsFunctions.Tests.Models.Data;

public sealed class IndicatorTableLoaderTests
{
    private const string Meta = "Indicator Code,Indicator,Dimension,Dataset,Category\n"
                                + "wdi-A,Alpha,%,wdi,Health\n"
                                + "wdi-B,,units,wdi,Health\n"          // no name: dropped
                                + "wdi-Z,Zeta,units,wdi,Health\n"      // no data: dropped
                                + "key-wdi-A,Alpha,%,key,Profile\n";

    private const string Datasets = "Dataset Code,Dataset Name\nwdi,World\nkey,Key\nother,Unused\n";

    private static Stream Text(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    private static IndicatorTable Load(string data, string meta = Meta, string datasets = Datasets) =>
        IndicatorTableLoader.Load(Text(meta), Text(datasets), Text(data));

    [Fact]
    public void PivotsCountriesAndIndicatorsInCodeOrderWithNaNForMissing()
    {
        var table = Load("Country Code,Indicator Code,2000,2001\nFJI,wdi-B,1,\nATG,wdi-A,2,3\nFJI,key-wdi-A,,5\n");
        Assert.Equal(["ATG", "FJI"], table.Countries);
        Assert.Equal(["key-wdi-A", "wdi-A", "wdi-B"], table.Indicators);
        Assert.Equal([2000, 2001], table.Years);
        var fji = table.CountryIndexOf("FJI");
        var a = table.IndicatorIndexOf("wdi-A");
        Assert.True(double.IsNaN(table.Value(fji, a, 0)));
        Assert.False(table.HasRow(fji, a));
        Assert.Equal(3, table.Value(table.CountryIndexOf("ATG"), a, 1));
        Assert.Equal([1.0, double.NaN], table.Series(fji, table.IndicatorIndexOf("wdi-B")));
    }

    [Fact]
    public void CleansAsThePythonLoader()
    {
        var table = Load("Country Code,Indicator Code,2000\n,wdi-A,1\nATG,,2\nNA,wdi-A,3\nATG,wdi-A,4\nATG,wdi-B,5\n");
        Assert.Equal(["ATG"], table.Countries); // rows without a country or indicator (pandas reads NA as missing) are dropped
        Assert.Equal(["wdi-A"], table.IndicatorMeta.Select(m => m.Code)); // wdi-B has no name, wdi-Z no data, key-wdi-A no data
        Assert.Equal(["wdi"], table.Datasets.Select(d => d.Code));
    }

    [Fact]
    public void CountriesWithRowKeepTheFileOrder()
    {
        var table = Load("Country Code,Indicator Code,2000\nFJI,wdi-A,1\nATG,wdi-A,\nBRB,wdi-A,2\n");
        Assert.Equal(["FJI", "ATG", "BRB"], table.CountriesWithRow(table.IndicatorIndexOf("wdi-A")).Select(c => table.Countries[c]));
    }

    [Theory]
    [InlineData("Country Code,Indicator Code,2000\nATG,wdi-A,abc\n", 2, "\"abc\" in column \"2000\" is not a number")]
    [InlineData("Country Code,Indicator Code,2000\nATG,wdi-A,1\nATG,wdi-A,2\n", 3, "a second row for country ATG and indicator wdi-A (the first is on line 2)")]
    [InlineData("Country Code,Indicator Code,2000\nATG,wdi-A,1,9\n", 2, "4 cells where the header has 3")]
    [InlineData("Country,Indicator Code,2000\n", 1, "the header lacks the column \"Country Code\"")]
    [InlineData("Country Code,Indicator Code,Value\n", 1, "the header has no year columns (e.g. \"2000\")")]
    public void CorruptDataNamesTheFileAndLine(string data, int line, string problem)
    {
        var error = Assert.Throws<DatasetFormatException>(() => Load(data));
        Assert.Equal("indicatorData.csv", error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(problem, error.Problem);
        Assert.StartsWith($"indicatorData.csv line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var folder = TemporaryFolder.Create("sids-empty-");
        var error = Assert.Throws<DatasetFormatException>(() => IndicatorTableLoader.LoadFolder(folder));
        Assert.Equal("indicatorMeta.csv", error.File);
    }

    [Fact]
    public void TheVersionFollowsTheBytes()
    {
        const string data = "Country Code,Indicator Code,2000\nATG,wdi-A,1\n";
        Assert.Equal(Load(data).Version, Load(data).Version);
        Assert.NotEqual(Load(data).Version, Load(data.Replace(",1", ",2", StringComparison.Ordinal)).Version);
    }

    [Fact]
    public void TwinsShareTheirBaseCode()
    {
        Assert.True(IndicatorTwins.AreTwins("key-wdi-EG.ELC.ACCS.ZS", "wdi-EG.ELC.ACCS.ZS"));
        Assert.False(IndicatorTwins.AreTwins("wdi-EG.ELC.ACCS.ZS", "wdi-EG.ELC.ACCS.UR.ZS"));
        Assert.Equal("SP.POP.TOTL", IndicatorTwins.BaseCode("key-wdi-SP.POP.TOTL"));
    }
}
