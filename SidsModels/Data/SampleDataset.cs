using System.Globalization;
using System.Text;
using SidsModels.Common;

namespace SidsModels.Data;

/// <summary>
/// Writes the built-in sample dataset: synthetic values in the backend's three-CSV format, so the
/// service runs and its tests pass without the real WDI data. 200 countries (the 50 SIDS codes plus 150
/// codes from ISO 3166's user-assigned QM–QZ range, which no real country uses), about 100 indicators
/// in a <c>wdi</c> and a <c>key</c> dataset (<c>key-wdi-*</c> rows copy their <c>wdi-*</c> twins), years
/// 2000–2019. Every value derives from four latent country factors that drift over time, so indicators
/// correlate as real development indicators do; SIDS miss values more often than other countries.
/// Seeded: the same seed writes the same bytes.
/// </summary>
public static class SampleDataset
{
    public const int DefaultSeed = 20261122;
    public const int FirstYear = 2000;
    public const int LastYear = 2019;
    private const int Factors = 4;

    private enum Scale
    {
        Percent,    // logistic onto 0..100
        Positive,   // log-normal, e.g. GDP per capita
        Level,      // around a mean, e.g. life expectancy
    }

    private sealed record Spec(string Code, string Name, string Dimension, string Category, Scale Scale, double Centre,
        double Spread, double BaseMissing);

    // Indicators the README's examples and the benchmarks name keep their WDI codes; values are synthetic.
    private static readonly Spec[] Named =
    [
        new("EG.ELC.ACCS.ZS", "Access to electricity (sample)", "% of population", "Infrastructure", Scale.Percent, 1.2, 1.6, 0.08),
        new("AG.LND.AGRI.K2", "Agricultural land (sample)", "sq. km", "Environment", Scale.Positive, 9.5, 1.5, 0.03),
        new("SP.DYN.LE00.IN", "Life expectancy at birth (sample)", "total (years)", "Health", Scale.Level, 68, 7, 0.05),
        new("NY.GDP.PCAP.CD", "GDP per capita (sample)", "current US$", "Economic Policy & Debt", Scale.Positive, 8.5, 1.2, 0.06),
        new("IT.CEL.SETS.P2", "Mobile cellular subscriptions (sample)", "per 100 people", "Infrastructure", Scale.Level, 80, 35, 0.10),
        new("EG.FEC.RNEW.ZS", "Renewable energy consumption (sample)", "% of total final energy consumption", "Environment", Scale.Percent, -0.5, 1.5, 0.12),
        new("SP.POP.TOTL", "Population (sample)", "total", "Health", Scale.Positive, 15, 2, 0.02),
        new("SH.STA.WAST.ZS", "Prevalence of wasting (sample)", "% of children under 5", "Health", Scale.Percent, -2.8, 0.8, 0.45),
        new("FB.ATM.TOTL.P5", "Automated teller machines (sample)", "per 100,000 adults", "Financial Sector", Scale.Positive, 3.5, 1.0, 0.20),
        new("SE.PRM.ENRR", "School enrollment (sample)", "primary (% gross)", "Education", Scale.Level, 100, 12, 0.15),
    ];

    private static readonly HashSet<string> NotKey = ["AG.LND.AGRI.K2", "SH.STA.WAST.ZS"];

    private static readonly string[] WdiCategories =
    [
        "Environment", "Health", "Education", "Economic Policy & Debt", "Infrastructure", "Poverty", "Gender",
        "Financial Sector", "Private Sector & Trade",
    ];

    private static readonly string[] KeyPillars = ["Profile", "Climate", "Digital", "Finance", "MVI"];

    /// <summary>The three files' contents, keyed by file name, UTF-8 without BOM and with \n line ends.</summary>
    public static IReadOnlyDictionary<string, byte[]> Generate(int seed = DefaultSeed)
    {
        var rng = new Rng(seed);
        var countries = Countries(rng.Next());
        var specs = Specs(rng.Next());
        var yearCount = LastYear - FirstYear + 1;

        // Latent factors per country and year: a level, a drift and a small random walk.
        var factor = new double[countries.Count, yearCount, Factors];
        var factorRng = rng.Next();
        foreach (var (c, code) in countries.Index())
        {
            var sids = SidsCountries.Contains(code);
            for (var f = 0; f < Factors; f++)
            {
                var level = factorRng.NextGaussian() + (sids && f == 1 ? -0.6 : 0);
                var drift = 0.04 * factorRng.NextGaussian() + 0.02;
                var walk = 0.0;
                for (var y = 0; y < yearCount; y++)
                {
                    walk += 0.05 * factorRng.NextGaussian();
                    factor[c, y, f] = level + drift * y + walk;
                }
            }
        }

        var data = new StringBuilder(4 << 20);
        data.Append("Country Code,Indicator Code");
        for (var y = FirstYear; y <= LastYear; y++)
        {
            data.Append(',').Append(y.ToString(CultureInfo.InvariantCulture));
        }
        data.Append('\n');

        var meta = new StringBuilder();
        meta.Append("Indicator Code,Indicator,Dimension,Dataset,Category\n");
        var valueRng = rng.Next();
        var keyRng = rng.Next();
        var keyRows = new List<(string Country, string Values)>();
        var keySpecs = new List<(Spec Spec, string Pillar)>();
        foreach (var spec in specs)
        {
            var loadings = new double[Factors];
            for (var f = 0; f < Factors; f++)
            {
                loadings[f] = valueRng.NextGaussian() * (f == 0 ? 1.0 : 0.6);
            }
            var noise = 0.15 + 0.25 * valueRng.NextDouble();
            // The key dataset copies most named indicators and a few synthetic ones.
            var named = Array.Exists(Named, n => n.Code == spec.Code);
            var isKey = named ? !NotKey.Contains(spec.Code) : keyRng.NextDouble() < 0.05;
            var pillar = KeyPillars[keySpecs.Count % KeyPillars.Length];
            if (isKey)
            {
                keySpecs.Add((spec, pillar));
            }
            meta.Append(Csv($"wdi-{spec.Code}")).Append(',').Append(Csv(spec.Name)).Append(',').Append(Csv(spec.Dimension))
                .Append(",wdi,").Append(Csv(spec.Category)).Append('\n');

            foreach (var (c, code) in countries.Index())
            {
                var sids = SidsCountries.Contains(code);
                var missing = Math.Min(0.9, spec.BaseMissing * (sids ? 1.8 : 1.0));
                if (valueRng.NextDouble() < missing * 0.4)
                {
                    continue; // no row at all for this country
                }
                // A lasting country effect plus a little yearly noise: series are smooth, as real ones are.
                var countryEffect = noise * valueRng.NextGaussian();
                var row = new StringBuilder();
                var any = false;
                for (var y = 0; y < yearCount; y++)
                {
                    var latent = 0.0;
                    for (var f = 0; f < Factors; f++)
                    {
                        latent += loadings[f] * factor[c, y, f];
                    }
                    latent += countryEffect + 0.2 * noise * valueRng.NextGaussian();
                    var value = spec.Scale switch
                    {
                        Scale.Percent => 100.0 / (1.0 + Math.Exp(-(spec.Centre + spec.Spread * latent / 1.5))),
                        Scale.Positive => Math.Exp(spec.Centre + spec.Spread * latent / 1.5),
                        _ => spec.Centre + spec.Spread * latent / 1.5,
                    };
                    row.Append(',');
                    if (valueRng.NextDouble() >= missing * 0.6)
                    {
                        row.Append(value.ToString("G7", CultureInfo.InvariantCulture));
                        any = true;
                    }
                }
                if (!any)
                {
                    continue; // the real data has no all-empty rows either
                }
                var values = row.ToString();
                data.Append(code).Append(",wdi-").Append(spec.Code).Append(values).Append('\n');
                if (isKey)
                {
                    keyRows.Add((code, $"key-wdi-{spec.Code}{values}"));
                }
            }
        }
        foreach (var (spec, pillar) in keySpecs)
        {
            meta.Append(Csv($"key-wdi-{spec.Code}")).Append(',').Append(Csv(spec.Name)).Append(',').Append(Csv(spec.Dimension))
                .Append(",key,").Append(Csv(pillar)).Append('\n');
        }
        foreach (var (country, values) in keyRows)
        {
            data.Append(country).Append(',').Append(values).Append('\n');
        }

        const string datasets = "Dataset Code,Dataset Name\nwdi,World Development Indicators (sample)\nkey,SIDS Key Indicators (sample)\n";
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        return new Dictionary<string, byte[]>
        {
            [IndicatorTableLoader.IndicatorMetaFile] = utf8.GetBytes(meta.ToString()),
            [IndicatorTableLoader.DatasetMetaFile] = utf8.GetBytes(datasets),
            [IndicatorTableLoader.IndicatorDataFile] = utf8.GetBytes(data.ToString()),
        };
    }

    private static List<string> Countries(Rng rng)
    {
        var others = new List<string>();
        for (var second = 'M'; second <= 'Z'; second++)
        {
            for (var third = 'A'; third <= 'Z'; third++)
            {
                others.Add($"Q{second}{third}");
            }
        }
        var picked = others.ToArray();
        rng.Shuffle(picked.AsSpan());
        return [.. SidsCountries.Codes, .. picked.Take(150).Order(StringComparer.Ordinal)];
    }

    private static List<Spec> Specs(Rng rng)
    {
        var specs = new List<Spec>(Named);
        var scales = new[] { Scale.Percent, Scale.Positive, Scale.Level };
        for (var i = 0; specs.Count < 92; i++)
        {
            var category = WdiCategories[i % WdiCategories.Length];
            var scale = scales[rng.NextInt(scales.Length)];
            var prefix = category[..3].ToUpperInvariant();
            var number = (i / WdiCategories.Length + 1).ToString("D2", CultureInfo.InvariantCulture);
            var (dimension, centre, spread) = scale switch
            {
                Scale.Percent => ("%", rng.NextDouble(-2, 2), rng.NextDouble(0.5, 2)),
                Scale.Positive => ("units", rng.NextDouble(1, 12), rng.NextDouble(0.5, 2)),
                _ => ("index", rng.NextDouble(-50, 150), rng.NextDouble(1, 30)),
            };
            // A few sparse indicators, so that the predictor and target filters have something to drop.
            var baseMissing = rng.NextDouble() < 0.15 ? rng.NextDouble(0.35, 0.7) : rng.NextDouble(0.0, 0.2);
            specs.Add(new Spec($"SIM.{prefix}.{number}", $"Sample {category.ToLowerInvariant()} indicator {number}",
                dimension, category, scale, centre, spread, baseMissing));
        }
        return specs;
    }

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
