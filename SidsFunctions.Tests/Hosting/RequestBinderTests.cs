using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using SidsFunctions.Hosting;
using SidsFunctions.Hosting.Errors;
using SidsFunctions.Hosting.Requests;

namespace SidsFunctions.Tests.Hosting;

public sealed class RequestBinderTests
{
    public enum Colour
    {
        [Description("The red one")] Red,
        [JsonStringEnumMemberName("grn")] Green,
    }

    [SidsRequest]
    public sealed record Sample(
        [property: Display(Name = "Name"), MaxLength(10)] string Name,
        [property: Range(1, 100)] int Count,
        Colour Colour,
        [property: RequiredIf("colour", "grn")] IReadOnlyList<string>? Tags,
        double? Ratio,
        bool Flag = false);

    private static Sample Bind(string json) => RequestBinder.Bind<Sample>(JsonDocument.Parse(json).RootElement);

    private static IReadOnlyList<FieldError> Errors(string json) =>
        Assert.Throws<RequestValidationException>(() => Bind(json)).Errors;

    [Fact]
    public void BindsAValidBodyWithDefaultsForAbsentOptionalFields()
    {
        var sample = Bind("""{"name":"a","count":3,"colour":"grn","tags":["x"]}""");
        Assert.Equal(new Sample("a", 3, Colour.Green, sample.Tags, null), sample);
        Assert.Equal(["x"], sample.Tags!);
    }

    [Fact]
    public void AcceptsWhatPydanticCoercedFromTheFrontend()
    {
        var sample = Bind("""{"name":2001,"count":"7","colour":"Red","ratio":"0.5","flag":"true"}""");
        Assert.Equal(("2001", 7, 0.5, true), (sample.Name, sample.Count, sample.Ratio, sample.Flag));
        Assert.Equal(5, Bind("""{"name":"a","count":5.0,"colour":"Red"}""").Count);
    }

    [Fact]
    public void ListsEveryProblemWithItsFieldInDeclarationOrder()
    {
        var errors = Errors("""{"count":1000,"colour":"Blue","extra":1}""");
        Assert.Equal(
        [
            ("body.extra", "extra fields not permitted"),
            ("body.name", "field required"),
            ("body.count", "ensure this value is less than or equal to 100"),
            ("body.colour", "Invalid value for the field colour. Supported values: ['Red', 'grn']"),
        ], errors.Select(e => (string.Join('.', e.Loc), e.Msg)));
    }

    [Theory]
    [InlineData("""{"name":"a","count":2.5,"colour":"Red"}""", "body.count", "value is not a valid integer")]
    [InlineData("""{"name":"a","count":"x","colour":"Red"}""", "body.count", "value is not a valid integer")]
    [InlineData("""{"name":"a","count":0,"colour":"Red"}""", "body.count", "ensure this value is greater than or equal to 1")]
    [InlineData("""{"name":"a","count":1e300,"colour":"Red"}""", "body.count", "ensure this value is less than or equal to 100")]
    [InlineData("""{"name":"abcdefghijk","count":1,"colour":"Red"}""", "body.name", "ensure this value has at most 10 characters")]
    [InlineData("""{"name":["a"],"count":1,"colour":"Red"}""", "body.name", "str type expected")]
    [InlineData("""{"name":null,"count":1,"colour":"Red"}""", "body.name", "none is not an allowed value")]
    [InlineData("""{"name":"a","count":1,"colour":"grn"}""", "body.tags", "field required when colour is grn")]
    [InlineData("""{"name":"a","count":1,"colour":"Red","tags":"x"}""", "body.tags", "value is not a valid list")]
    [InlineData("""{"name":"a","count":1,"colour":"Red","tags":["x",null]}""", "body.tags.1", "none is not an allowed value")]
    [InlineData("""{"name":"a","count":1,"colour":"Red","ratio":"NaN"}""", "body.ratio", "value is not a finite number")]
    [InlineData("""{"name":"a","count":1,"colour":"Red","flag":3}""", "body.flag", "value could not be parsed to a boolean")]
    [InlineData("""[1,2]""", "body", "value is not a valid dict")]
    public void RefusesWhatDoesNotFit(string json, string loc, string message)
    {
        var error = Assert.Single(Errors(json));
        Assert.Equal((loc, message), (string.Join('.', error.Loc), error.Msg));
    }

    [Fact]
    public void DescribesTheRecordForParamsAndOpenApi()
    {
        var shape = RequestShape.Of<Sample>();
        Assert.Equal(["name", "count", "colour", "tags", "ratio", "flag"], shape.Fields.Select(f => f.Name));
        Assert.Equal([true, true, true, false, false, false], shape.Fields.Select(f => f.Required));
        Assert.Equal("Name", shape.ByName["name"].Label);
        Assert.Equal(["Red", "grn"], shape.ByName["colour"].Enum!.Names);
        Assert.Equal(["The red one", "Green"], shape.ByName["colour"].Enum!.Labels);
        Assert.Equal((1d, 100d), (shape.ByName["count"].Minimum, shape.ByName["count"].Maximum));
    }
}
