using System.Globalization;
using System.Security.Cryptography;
using CsvHelper;
using CsvHelper.Configuration;

namespace SidsModels.Data;

/// <summary>
/// Reads the backend's three CSV files and cleans them as the Python loader did: data rows without a
/// country or indicator code are dropped; metadata is kept for indicators that have data and a name;
/// datasets are kept when the metadata references them and they have a name. Anything else that is
/// wrong (a value that is not a number, a repeated country/indicator row, a missing column) is a
/// <see cref="DatasetFormatException"/> naming the file and line.
/// </summary>
public static class IndicatorTableLoader
{
    public const string IndicatorMetaFile = "indicatorMeta.csv";
    public const string DatasetMetaFile = "datasetMeta.csv";
    public const string IndicatorDataFile = "indicatorData.csv";

    // pandas.read_csv's default missing-value markers: a cell holding one of these is missing.
    private static readonly HashSet<string> MissingMarkers = new(StringComparer.Ordinal)
    {
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
        "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    };

    /// <summary>Loads the three files; the streams are read to the end and not closed.</summary>
    public static IndicatorTable Load(Stream indicatorMeta, Stream datasetMeta, Stream indicatorData)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var metaBytes = ReadAll(indicatorMeta, hash);
        var datasetBytes = ReadAll(datasetMeta, hash);
        var dataBytes = ReadAll(indicatorData, hash);
        var version = Convert.ToHexStringLower(hash.GetHashAndReset())[..16];

        var data = ReadData(dataBytes);
        var meta = ReadIndicatorMeta(metaBytes, data.Indicators);
        var datasets = ReadDatasetMeta(datasetBytes, meta);
        return new IndicatorTable(data.Countries, data.Indicators, data.Years, data.Values, data.CountriesWithRow,
            data.HasRow, meta, datasets, version);
    }

    /// <summary>Loads <c>indicatorMeta.csv</c>, <c>datasetMeta.csv</c> and <c>indicatorData.csv</c> from a folder.</summary>
    public static IndicatorTable LoadFolder(string folder)
    {
        using var meta = OpenFile(folder, IndicatorMetaFile);
        using var datasets = OpenFile(folder, DatasetMetaFile);
        using var data = OpenFile(folder, IndicatorDataFile);
        return Load(meta, datasets, data);
    }

    private static FileStream OpenFile(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(name, null, $"file not found in the dataset folder '{folder}'");
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static byte[] ReadAll(Stream stream, IncrementalHash hash)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        hash.AppendData(bytes);
        return bytes;
    }

    private static bool IsMissing(string cell) => MissingMarkers.Contains(cell);

    private sealed record DataCube(string[] Countries, string[] Indicators, int[] Years, double[] Values,
        int[][] CountriesWithRow, bool[] HasRow);

    private static CsvParser Parser(byte[] bytes) =>
        new(new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true),
            new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, TrimOptions = TrimOptions.None });

    private static string[] Header(CsvParser parser, string file, params string[] required)
    {
        if (!parser.Read())
        {
            throw new DatasetFormatException(file, 1, "the file is empty (a header row is expected)");
        }
        var header = parser.Record ?? [];
        foreach (var column in required)
        {
            if (Array.IndexOf(header, column) < 0)
            {
                throw new DatasetFormatException(file, 1, $"the header lacks the column \"{column}\"");
            }
        }
        return header;
    }

    /// <summary>The data rows after the header (blank lines skipped), each checked to have the header's cell count.</summary>
    private static IEnumerable<(string[] Cells, long Line)> Records(CsvParser parser, string file, int cells)
    {
        while (parser.Read())
        {
            var record = parser.Record!;
            if (record.Length == 1 && record[0].Length == 0)
            {
                continue;
            }
            if (record.Length != cells)
            {
                throw new DatasetFormatException(file, parser.RawRow, $"{record.Length} cells where the header has {cells}");
            }
            yield return (record, parser.RawRow);
        }
    }

    private static DataCube ReadData(byte[] bytes)
    {
        const string file = IndicatorDataFile;
        using var parser = Parser(bytes);
        var header = Header(parser, file, "Country Code", "Indicator Code");
        var countryColumn = Array.IndexOf(header, "Country Code");
        var indicatorColumn = Array.IndexOf(header, "Indicator Code");
        var yearColumns = new List<(int Column, int Year)>();
        for (var c = 0; c < header.Length; c++)
        {
            if (int.TryParse(header[c], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            {
                yearColumns.Add((c, year));
            }
        }
        if (yearColumns.Count == 0)
        {
            throw new DatasetFormatException(file, 1, "the header has no year columns (e.g. \"2000\")");
        }
        yearColumns.Sort((a, b) => a.Year.CompareTo(b.Year));
        var years = yearColumns.Select(y => y.Year).ToArray();

        // First pass: the rows as read; codes are resolved to positions once every code is known.
        var rows = new List<(string Country, string Indicator, double[] Values, long Line)>(capacity: 1 << 16);
        foreach (var (record, line) in Records(parser, file, header.Length))
        {
            var country = record[countryColumn];
            var indicator = record[indicatorColumn];
            if (IsMissing(country) || IsMissing(indicator))
            {
                continue; // the Python loader drops rows without a country or indicator
            }
            var values = new double[years.Length];
            for (var y = 0; y < yearColumns.Count; y++)
            {
                var cell = record[yearColumns[y].Column];
                if (IsMissing(cell))
                {
                    values[y] = double.NaN;
                }
                else if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    values[y] = value;
                }
                else
                {
                    throw new DatasetFormatException(file, line,
                        $"\"{Truncate(cell)}\" in column \"{header[yearColumns[y].Column]}\" is not a number");
                }
            }
            rows.Add((country, indicator, values, line));
        }

        var countries = rows.Select(r => r.Country).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var indicators = rows.Select(r => r.Indicator).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var countryIndex = countries.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var indicatorIndex = indicators.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);

        var nc = countries.Length;
        var ni = indicators.Length;
        var cube = new double[years.Length * nc * ni];
        Array.Fill(cube, double.NaN);
        var hasRow = new bool[nc * ni];
        var firstLine = new long[nc * ni];
        var withRow = new List<int>[ni];
        for (var i = 0; i < ni; i++)
        {
            withRow[i] = [];
        }
        foreach (var row in rows)
        {
            var c = countryIndex[row.Country];
            var i = indicatorIndex[row.Indicator];
            var cell = c * ni + i;
            if (hasRow[cell])
            {
                throw new DatasetFormatException(file, row.Line,
                    $"a second row for country {row.Country} and indicator {row.Indicator} (the first is on line {firstLine[cell]})");
            }
            hasRow[cell] = true;
            firstLine[cell] = row.Line;
            withRow[i].Add(c);
            for (var y = 0; y < years.Length; y++)
            {
                cube[(y * nc + c) * ni + i] = row.Values[y];
            }
        }
        return new DataCube(countries, indicators, years, cube, withRow.Select(l => l.ToArray()).ToArray(), hasRow);
    }

    private static List<IndicatorInfo> ReadIndicatorMeta(byte[] bytes, string[] dataIndicators)
    {
        const string file = IndicatorMetaFile;
        using var parser = Parser(bytes);
        var header = Header(parser, file, "Indicator Code", "Indicator", "Dimension", "Dataset", "Category");
        int Column(string name) => Array.IndexOf(header, name);
        var (code, name, dimension, dataset, category) =
            (Column("Indicator Code"), Column("Indicator"), Column("Dimension"), Column("Dataset"), Column("Category"));
        var known = new HashSet<string>(dataIndicators, StringComparer.Ordinal);
        var result = new List<IndicatorInfo>();
        foreach (var (record, _) in Records(parser, file, header.Length))
        {
            if (!known.Contains(record[code]) || IsMissing(record[name]))
            {
                continue;
            }
            result.Add(new IndicatorInfo(record[code], record[name], Text(record[dimension]), Text(record[dataset]), Text(record[category])));
        }
        return result;
    }

    private static List<DatasetInfo> ReadDatasetMeta(byte[] bytes, List<IndicatorInfo> meta)
    {
        const string file = DatasetMetaFile;
        using var parser = Parser(bytes);
        var header = Header(parser, file, "Dataset Code", "Dataset Name");
        var code = Array.IndexOf(header, "Dataset Code");
        var name = Array.IndexOf(header, "Dataset Name");
        var referenced = new HashSet<string>(meta.Select(m => m.Dataset), StringComparer.Ordinal);
        var result = new List<DatasetInfo>();
        foreach (var (record, _) in Records(parser, file, header.Length))
        {
            if (referenced.Contains(record[code]) && !IsMissing(record[name]))
            {
                result.Add(new DatasetInfo(record[code], record[name]));
            }
        }
        return result;
    }

    // A missing dimension or category reads as empty text rather than failing the whole file.
    private static string Text(string cell) => IsMissing(cell) ? "" : cell;

    private static string Truncate(string cell) => cell.Length <= 40 ? cell : cell[..40] + "…";
}
