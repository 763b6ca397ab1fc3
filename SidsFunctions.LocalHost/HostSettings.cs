using System.Collections;
using System.Text.Json;

namespace SidsFunctions.LocalHost;

/// <summary>
/// The app settings the worker sees, as Core Tools builds them: the <c>Values</c> of local.settings.json
/// (the script root's copy, then the current directory's, which is the project folder under `dotnet run`),
/// overridden by environment variables.
/// </summary>
internal sealed class HostSettings
{
    public const string FileName = "local.settings.json";

    private readonly Dictionary<string, string> _values;

    public HostSettings(IReadOnlyDictionary<string, string> values) =>
        _values = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every setting, for the worker's environment.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The files read, in order; for the start-up log.</summary>
    public IReadOnlyList<string> Sources { get; private init; } = [];

    public string? this[string name] => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>Loads the settings; a local.settings.json that is not valid JSON is an error naming the file.</summary>
    public static HostSettings Load(string scriptRoot, string currentDirectory, IDictionary environment)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var sources = new List<string>();
        foreach (var dir in new[] { scriptRoot, currentDirectory }.Distinct(StringComparer.Ordinal))
        {
            string file = Path.Combine(dir, FileName);
            if (!File.Exists(file) || sources.Contains(Path.GetFullPath(file))) continue;
            foreach (var (k, v) in ReadValues(file)) values[k] = v;
            sources.Add(Path.GetFullPath(file));
        }
        foreach (DictionaryEntry e in environment)
        {
            if (e.Key is string k && e.Value is string v) values[k] = v;
        }
        return new HostSettings(values) { Sources = sources };
    }

    /// <summary>The <c>Values</c> object of one local.settings.json (strings; numbers and booleans as written).</summary>
    public static IEnumerable<KeyValuePair<string, string>> ReadValues(string file)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new HostStartupException($"{file} is not valid JSON: {ex.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object ||
                !doc.RootElement.TryGetProperty("Values", out var valuesElement) ||
                valuesElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }
            var list = new List<KeyValuePair<string, string>>();
            foreach (var p in valuesElement.EnumerateObject())
            {
                string? v = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => p.Value.GetRawText(),
                };
                if (v is not null) list.Add(new(p.Name, v));
            }
            return list;
        }
    }

    /// <summary>
    /// Resolves <c>%NAME%</c> references as the Functions host does for binding properties; null in
    /// <paramref name="missing"/> when every name resolved.
    /// </summary>
    public string Resolve(string text, out string? missing)
    {
        missing = null;
        if (!text.Contains('%')) return text;
        var sb = new System.Text.StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            int start = text.IndexOf('%', i);
            int end = start < 0 ? -1 : text.IndexOf('%', start + 1);
            if (start < 0 || end < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }
            sb.Append(text, i, start - i);
            string name = text[(start + 1)..end];
            string? value = this[name];
            if (value is null)
            {
                missing ??= name;
            }
            else
            {
                sb.Append(value);
            }
            i = end + 1;
        }
        return sb.ToString();
    }
}

/// <summary>A start-up failure with a message meant for the user (no stack trace).</summary>
internal sealed class HostStartupException(string message) : Exception(message);
