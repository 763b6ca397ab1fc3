using System.Globalization;
using System.Text;
using SidsModels.Data;

namespace SidsFunctions.Tests.Models.StatImpute;

/// <summary>Small indicator tables for model tests, written as the backend's three CSV files and loaded by the real loader.</summary>
internal static class TestTables
{
    public sealed record Row(string Country, string Indicator, IReadOnlyList<double> Values);

    public static IndicatorTable Build(IReadOnlyList<int> years, IEnumerable<Row> rows)
    {
        var data = new StringBuilder("Country Code,Indicator Code," + string.Join(',', years.Select(y => y.ToString(CultureInfo.InvariantCulture))) + "\n");
        var indicators = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            indicators.Add(row.Indicator);
            data.Append(row.Country).Append(',').Append(row.Indicator);
            foreach (var value in row.Values)
            {
                data.Append(',').Append(double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture));
            }
            data.Append('\n');
        }
        var meta = new StringBuilder("Indicator Code,Indicator,Dimension,Dataset,Category\n");
        foreach (var indicator in indicators)
        {
            meta.Append(indicator).Append(",Indicator ").Append(indicator).Append(",units,wdi,Test\n");
        }
        const string datasets = "Dataset Code,Dataset Name\nwdi,Test indicators\n";
        return IndicatorTableLoader.Load(Stream(meta.ToString()), Stream(datasets), Stream(data.ToString()));
    }

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));
}
