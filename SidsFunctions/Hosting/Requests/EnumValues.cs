using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Serialization;

namespace SidsFunctions.Hosting.Requests;

/// <summary>
/// An enum's wire names (<see cref="JsonStringEnumMemberNameAttribute"/>, else the member name) and
/// labels (<see cref="DescriptionAttribute"/>), in declaration order: what requests accept, /params lists
/// and the OpenAPI document shows.
/// </summary>
public sealed class EnumValues
{
    private static readonly Dictionary<Type, EnumValues> Cache = [];
    private readonly Dictionary<string, object> byName;

    private EnumValues(Type type)
    {
        var members = type.GetFields(BindingFlags.Public | BindingFlags.Static);
        Names = members.Select(m => m.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? m.Name).ToArray();
        Labels = members.Select(m => m.GetCustomAttribute<DescriptionAttribute>()?.Description ?? m.Name).ToArray();
        byName = members.Select((m, i) => (Name: Names[i], Value: m.GetValue(null)!))
            .ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        ValueNames = members.Select((m, i) => (Value: m.GetValue(null)!, Name: Names[i])).ToDictionary(p => p.Value, p => p.Name);
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<string> Labels { get; }

    private Dictionary<object, string> ValueNames { get; }

    public static EnumValues Of(Type enumType)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(enumType, out var values))
            {
                values = new EnumValues(enumType);
                Cache[enumType] = values;
            }
            return values;
        }
    }

    public static EnumValues Of<TEnum>() where TEnum : struct, Enum => Of(typeof(TEnum));

    public bool TryParse(string name, out object value) => byName.TryGetValue(name, out value!);

    public string NameOf(object value) => ValueNames[value];

    /// <summary>The wire name of an enum value: <c>EnumValues.Name(Model.RandomForest)</c> is "rfr".</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => Of<TEnum>().NameOf(value);

    /// <summary>The allowed names as the Python backend listed them: <c>['AFS', 'PCA', 'MANUAL']</c>.</summary>
    public string Listing() => "[" + string.Join(", ", Names.Select(n => $"'{n}'")) + "]";
}
