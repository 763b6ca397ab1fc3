using SidsFunctions.Tests.Infrastructure;
using SidsModels.Data;

namespace SidsFunctions.Tests.Models.Data;

/// <summary>The committed sample dataset is exactly what the seeded generator writes, and has the promised shape.</summary>
public sealed class SampleDatasetTests
{
    private static readonly IReadOnlyDictionary<string, byte[]> Generated = SampleDataset.Generate();

    [Theory]
    [InlineData("indicatorData.csv")]
    [InlineData("indicatorMeta.csv")]
    [InlineData("datasetMeta.csv")]
    public void CommittedFilesAreTheGeneratorsOutput(string file)
    {
        var committed = File.ReadAllBytes(Repository.PathOf("SidsFunctions", "datasets", file));
        Assert.True(committed.AsSpan().SequenceEqual(Generated[file]),
            $"SidsFunctions/datasets/{file} differs from the generator's output: run `dotnet run --project tools/GenerateSampleDataset`");
    }

    [Fact]
    public void HasTheShapeOfThePlatformsData()
    {
        var table = IndicatorTableLoader.Load(new MemoryStream(Generated["indicatorMeta.csv"]), new MemoryStream(Generated["datasetMeta.csv"]),
            new MemoryStream(Generated["indicatorData.csv"]));
        Assert.InRange(table.CountryCount, 190, 200);
        Assert.All(SidsCountries.Codes, c => Assert.True(table.CountryIndexOf(c) >= 0, c));
        Assert.InRange(table.IndicatorCount, 90, 110);
        Assert.Equal(Enumerable.Range(2000, 20), table.Years);
        Assert.Equal(["wdi", "key"], table.Datasets.Select(d => d.Code));
        Assert.True(table.IndicatorMeta.Select(m => m.Category).Distinct().Count() >= 5);
        Assert.True(Generated["indicatorData.csv"].Length < 5_000_000);

        // key-wdi-X rows copy wdi-X rows.
        var key = table.IndicatorIndexOf("key-wdi-EG.ELC.ACCS.ZS");
        var wdi = table.IndicatorIndexOf("wdi-EG.ELC.ACCS.ZS");
        for (var c = 0; c < table.CountryCount; c++)
        {
            Assert.Equal(table.Series(c, wdi), table.Series(c, key));
        }

        // SIDS miss values more often than other countries.
        double MissingShare(bool sids)
        {
            var (missing, total) = (0, 0);
            for (var c = 0; c < table.CountryCount; c++)
            {
                if (table.IsSids(c) != sids)
                {
                    continue;
                }
                for (var i = 0; i < table.IndicatorCount; i++)
                {
                    foreach (var v in table.Series(c, i))
                    {
                        total++;
                        missing += double.IsNaN(v) ? 1 : 0;
                    }
                }
            }
            return (double)missing / total;
        }
        Assert.True(MissingShare(true) > MissingShare(false) + 0.05);
    }

    [Fact]
    public void AnotherSeedWritesOtherValues() =>
        Assert.False(SampleDataset.Generate(1)["indicatorData.csv"].AsSpan().SequenceEqual(Generated["indicatorData.csv"]));
}
