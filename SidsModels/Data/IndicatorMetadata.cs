namespace SidsModels.Data;

/// <summary>One row of indicatorMeta.csv: an indicator's code, name, dimension (unit), dataset and category.</summary>
public sealed record IndicatorInfo(string Code, string Name, string Dimension, string Dataset, string Category);

/// <summary>One row of datasetMeta.csv.</summary>
public sealed record DatasetInfo(string Code, string Name);

/// <summary>The Small Island Developing States the platform serves: the Python backend's 50 ISO3 codes, in its order.</summary>
public static class SidsCountries
{
    public static readonly IReadOnlyList<string> Codes =
    [
        "ATG", "ABW", "BHS", "BMU", "BHR", "BRB", "BLZ", "VGB", "CPV", "CYM", "COM", "CUB", "CUW", "DMA", "DOM",
        "FJI", "GRD", "GNB", "GUY", "HTI", "JAM", "KIR", "MDV", "MHL", "MUS", "FSM", "NRU", "PLW", "PNG", "WSM", "STP",
        "SYC", "SGP", "SXM", "SLB", "KNA", "VCT", "LCA", "SUR", "TLS", "TTO", "TON", "TUV", "TCA", "VUT", "AIA", "COK",
        "MSR", "TKL", "NIU",
    ];

    private static readonly HashSet<string> Set = new(Codes, StringComparer.Ordinal);

    public static bool Contains(string countryCode) => Set.Contains(countryCode);
}

/// <summary>
/// The codes of one indicator across datasets: the key dataset copies a WDI series as
/// <c>key-wdi-X</c> beside <c>wdi-X</c>; both carry the same values, so one must never predict the other.
/// </summary>
public static class IndicatorTwins
{
    /// <summary>The code without a dataset prefix: <c>key-wdi-X</c> and <c>wdi-X</c> both give <c>X</c>.</summary>
    public static string BaseCode(string indicatorCode)
    {
        var code = Base(indicatorCode);
        return code.Length == indicatorCode.Length ? indicatorCode : code.ToString();
    }

    // Compared without allocating: the predictor filter asks this of every indicator for every request.
    public static bool AreTwins(string a, string b) => Base(a).SequenceEqual(Base(b));

    private static ReadOnlySpan<char> Base(string indicatorCode)
    {
        var code = indicatorCode.AsSpan();
        if (code.StartsWith("key-", StringComparison.Ordinal))
        {
            code = code[4..];
        }
        var dash = code.IndexOf('-');
        return dash >= 0 ? code[(dash + 1)..] : code;
    }
}
