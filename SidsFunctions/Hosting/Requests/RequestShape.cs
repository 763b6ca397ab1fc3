using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SidsFunctions.Hosting.Requests;

public enum FieldKind
{
    String,
    Integer,
    Number,
    Boolean,
    Enum,
    StringList,
    IntegerList,
    NumberList,

    /// <summary>Raw JSON handed to the model as is (survey data), validated by the model.</summary>
    Json,
}

/// <summary>One field of a request record: its wire name, type and rules, read once from the record's attributes.</summary>
public sealed class FieldSpec
{
    public required string Name { get; init; }

    public required int Position { get; init; }

    public required FieldKind Kind { get; init; }

    public Type? EnumType { get; init; }

    public required bool Required { get; init; }

    public object? Default { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>Most characters (strings) or items (lists) accepted.</summary>
    public int? MaxLength { get; init; }

    public IReadOnlyList<RequiredIfAttribute> RequiredIf { get; init; } = [];

    public string? ReqEndpoint { get; init; }

    /// <summary>The short label (<see cref="DisplayAttribute.Name"/>), as the Python backend's field title.</summary>
    public string? Label { get; init; }

    public string? Description { get; init; }

    public EnumValues? Enum => EnumType is null ? null : EnumValues.Of(EnumType);
}

/// <summary>
/// The fields of a request record (a positional record: its primary constructor's parameters), with the
/// attributes that drive binding, validation, /params and the OpenAPI document.
/// </summary>
public sealed class RequestShape
{
    /// <summary>Strings longer than this are refused unless a field says otherwise.</summary>
    public const int DefaultMaxStringLength = 1000;

    /// <summary>Lists longer than this are refused unless a field says otherwise.</summary>
    public const int DefaultMaxItems = 1000;

    private static readonly Dictionary<Type, RequestShape> Cache = [];
    private readonly ConstructorInfo constructor;

    private RequestShape(Type type)
    {
        Type = type;
        constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var nullability = new NullabilityInfoContext();
        Fields = constructor.GetParameters().Select((p, i) => Describe(type, p, i, nullability)).ToArray();
        ByName = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public Type Type { get; }

    public IReadOnlyList<FieldSpec> Fields { get; }

    public IReadOnlyDictionary<string, FieldSpec> ByName { get; }

    public static RequestShape Of(Type type)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(type, out var shape))
            {
                shape = new RequestShape(type);
                Cache[type] = shape;
            }
            return shape;
        }
    }

    public static RequestShape Of<T>() => Of(typeof(T));

    internal object Create(object?[] arguments) => constructor.Invoke(arguments);

    private static FieldSpec Describe(Type type, ParameterInfo parameter, int position, NullabilityInfoContext nullability)
    {
        var property = type.GetProperty(parameter.Name!, BindingFlags.Public | BindingFlags.Instance);
        T? Find<T>() where T : Attribute => parameter.GetCustomAttribute<T>() ?? property?.GetCustomAttribute<T>();
        IEnumerable<T> FindAll<T>() where T : Attribute =>
            parameter.GetCustomAttributes<T>().Concat(property?.GetCustomAttributes<T>() ?? []);

        var clrType = parameter.ParameterType;
        var underlying = Nullable.GetUnderlyingType(clrType);
        var nullable = underlying is not null || (!clrType.IsValueType && nullability.Create(parameter).WriteState != NullabilityState.NotNull);
        var valueType = underlying ?? clrType;
        var (kind, enumType) = KindOf(valueType, type, parameter.Name!);
        var range = Find<RangeAttribute>();
        var name = Find<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(parameter.Name!);
        return new FieldSpec
        {
            Name = name,
            Position = position,
            Kind = kind,
            EnumType = enumType,
            Required = !nullable && !parameter.HasDefaultValue,
            Default = parameter.HasDefaultValue ? parameter.DefaultValue : null,
            Minimum = range is null ? null : Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture),
            Maximum = range is null ? null : Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture),
            MaxLength = Find<MaxLengthAttribute>()?.Length,
            RequiredIf = FindAll<RequiredIfAttribute>().ToArray(),
            ReqEndpoint = Find<ReqEndpointAttribute>()?.Endpoint,
            Label = Find<DisplayAttribute>()?.Name,
            Description = Find<DescriptionAttribute>()?.Description,
        };
    }

    private static (FieldKind Kind, Type? EnumType) KindOf(Type type, Type owner, string name)
    {
        if (type == typeof(string))
        {
            return (FieldKind.String, null);
        }
        if (type == typeof(int))
        {
            return (FieldKind.Integer, null);
        }
        if (type == typeof(double))
        {
            return (FieldKind.Number, null);
        }
        if (type == typeof(bool))
        {
            return (FieldKind.Boolean, null);
        }
        if (type.IsEnum)
        {
            return (FieldKind.Enum, type);
        }
        if (type == typeof(JsonElement))
        {
            return (FieldKind.Json, null);
        }
        if (type == typeof(IReadOnlyList<string>) || type == typeof(string[]))
        {
            return (FieldKind.StringList, null);
        }
        if (type == typeof(IReadOnlyList<int>) || type == typeof(int[]))
        {
            return (FieldKind.IntegerList, null);
        }
        if (type == typeof(IReadOnlyList<double>) || type == typeof(double[]))
        {
            return (FieldKind.NumberList, null);
        }
        throw new NotSupportedException($"{owner.Name}.{name}: request fields of type {type.Name} are not supported.");
    }
}
