using System.Globalization;
using System.Text.Json;
using SidsModels.Common;
using SidsModels.SurveyClustering;

namespace SidsFunctions.SurveyCluster;

/// <summary>
/// Reads a table sent as pandas' DataFrame.to_dict gives it: 'dict' orient, <c>{column: {row: value}}</c>
/// (rows are the union of the row keys in order of first appearance, and a row a column lacks is a missing
/// value, as pandas builds the frame), or 'list' orient, <c>{column: [values]}</c> (every list as long as the
/// others). A value is a number, text, true/false (read as the text "True"/"False") or null (missing).
/// Everything else is refused with a message naming the field, column and row.
/// </summary>
public static class SurveyTableReader
{
    public sealed record Table(IReadOnlyList<string> RowKeys, IReadOnlyList<SurveyColumn> Columns);

    /// <param name="field">The request field, for messages ("data", "metadata").</param>
    /// <param name="maxColumns">More columns are a 413.</param>
    /// <param name="maxRows">More rows are a 413.</param>
    /// <param name="rowsAre">What a row is, for the size message ("rows", "questions").</param>
    public static Table Read(JsonElement element, string field, int maxColumns, int maxRows, string rowsAre = "rows")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(field, $"{field} must be an object of columns: {{column: {{row: value}}}} (pandas 'dict' orient) or {{column: [values]}} ('list' orient).");
        }
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        JsonValueKind? orient = null;
        foreach (var column in element.EnumerateObject())
        {
            if (!seen.Add(column.Name))
            {
                throw Invalid(field, $"{field} has the column '{Short(column.Name)}' twice.");
            }
            if (names.Count == maxColumns)
            {
                throw new InvalidInputException($"{field} has more than {maxColumns} columns; at most {maxColumns} are accepted.", field,
                    InputErrorKind.TooLarge);
            }
            var kind = column.Value.ValueKind;
            if (kind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                throw Invalid(field, $"{field}['{Short(column.Name)}'] must be an object {{row: value}} or a list of values, not {Describe(kind)}.");
            }
            if (orient is { } first && first != kind)
            {
                throw Invalid(field, $"{field} mixes orients: '{Short(column.Name)}' is {Describe(kind)} but '{Short(names[0])}' is {Describe(first)}; "
                                     + "send every column as {row: value} ('dict' orient) or every column as a list ('list' orient).");
            }
            orient = kind;
            names.Add(column.Name);
        }
        if (names.Count == 0)
        {
            throw Invalid(field, $"{field} has no column.");
        }
        return orient == JsonValueKind.Array
            ? ReadLists(element, field, names, maxRows, rowsAre)
            : ReadDicts(element, field, names, maxRows, rowsAre);
    }

    private static Table ReadLists(JsonElement element, string field, List<string> names, int maxRows, string rowsAre)
    {
        var rows = -1;
        var firstName = names[0];
        foreach (var column in element.EnumerateObject())
        {
            var length = column.Value.GetArrayLength();
            if (length > maxRows)
            {
                throw TooMany(field, maxRows, rowsAre);
            }
            if (rows < 0)
            {
                rows = length;
            }
            else if (length != rows)
            {
                throw Invalid(field, $"{field} is ragged: column '{Short(column.Name)}' has {length} values but '{Short(firstName)}' has {rows}; "
                                     + "every column needs one value per row (null for a missing one).");
            }
        }
        var keys = new string[rows];
        for (var i = 0; i < rows; i++)
        {
            keys[i] = i.ToString(CultureInfo.InvariantCulture);
        }
        var columns = new List<SurveyColumn>(names.Count);
        foreach (var column in element.EnumerateObject())
        {
            var answers = new SurveyAnswer[rows];
            var i = 0;
            foreach (var value in column.Value.EnumerateArray())
            {
                answers[i] = Answer(value, field, column.Name, keys[i]);
                i++;
            }
            columns.Add(new SurveyColumn(column.Name, answers));
        }
        return new Table(keys, columns);
    }

    private static Table ReadDicts(JsonElement element, string field, List<string> names, int maxRows, string rowsAre)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var column in element.EnumerateObject())
        {
            foreach (var cell in column.Value.EnumerateObject())
            {
                if (index.TryAdd(cell.Name, keys.Count))
                {
                    keys.Add(cell.Name);
                    if (keys.Count > maxRows)
                    {
                        throw TooMany(field, maxRows, rowsAre);
                    }
                }
            }
        }
        var columns = new List<SurveyColumn>(names.Count);
        foreach (var column in element.EnumerateObject())
        {
            var answers = new SurveyAnswer[keys.Count];
            var given = new bool[keys.Count];
            foreach (var cell in column.Value.EnumerateObject())
            {
                var row = index[cell.Name];
                if (given[row])
                {
                    throw Invalid(field, $"{field}['{Short(column.Name)}'] gives row '{Short(cell.Name)}' twice.");
                }
                given[row] = true;
                answers[row] = Answer(cell.Value, field, column.Name, cell.Name);
            }
            columns.Add(new SurveyColumn(column.Name, answers));
        }
        return new Table(keys, columns);
    }

    private static SurveyAnswer Answer(JsonElement value, string field, string column, string row)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return SurveyAnswer.Missing;
            case JsonValueKind.Number:
                if (value.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return SurveyAnswer.Of(number);
                }
                throw Invalid(field, $"{field}['{Short(column)}']['{Short(row)}'] is a number out of range.");
            case JsonValueKind.String:
                return SurveyAnswer.Of(value.GetString()!);
            case JsonValueKind.True:
                return SurveyAnswer.Of("True");
            case JsonValueKind.False:
                return SurveyAnswer.Of("False");
            default:
                throw Invalid(field, $"{field}['{Short(column)}']['{Short(row)}'] is {Describe(value.ValueKind)}; a value is a number, text, true/false or null.");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => "null",
    };

    private static InvalidInputException Invalid(string field, string message) => new(message, field);

    private static InvalidInputException TooMany(string field, int maxRows, string rowsAre) =>
        new($"{field} has more than {maxRows} {rowsAre}; at most {maxRows} are accepted.", field, InputErrorKind.TooLarge);

    internal static string Short(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
