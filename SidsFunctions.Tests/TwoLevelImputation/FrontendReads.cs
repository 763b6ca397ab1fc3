using System.Text.Json;
using System.Text.Json.Nodes;

namespace SidsFunctions.Tests.TwoLevelImputation;

/// <summary>What the platform's form reads from a /twolvlImp/predict answer (frontend-contract.json), checked as it reads it.</summary>
public static class FrontendReads
{
    private static double[] Numbers(JsonNode? node, string what)
    {
        var array = Assert.IsType<JsonArray>(node);
        Assert.All(array, v => Assert.True(v is JsonValue n && n.GetValueKind() == JsonValueKind.Number, $"{what}: {v?.ToJsonString() ?? "null"} is not a number"));
        return array.Select(v => v!.GetValue<double>()).ToArray();
    }

    private static string[] Texts(JsonNode? node, string what)
    {
        var array = Assert.IsType<JsonArray>(node);
        Assert.All(array, v => Assert.True(v is JsonValue n && n.GetValueKind() == JsonValueKind.String, $"{what}: {v?.ToJsonString() ?? "null"} is not text"));
        return array.Select(v => v!.GetValue<string>()).ToArray();
    }

    /// <summary>The reads of frontend-contract.json's predict call, each as the form uses it.</summary>
    public static void AssertAnswer(JsonObject answer, JsonObject body)
    {
        Assert.True(answer["rmse_deviation"] is JsonValue d && d.GetValueKind() == JsonValueKind.Number, "rmse_deviation is a number");

        var names = Texts(answer["model_feature_names"], "model_feature_names");
        var importances = Numbers(answer["model_feature_importance"], "model_feature_importance");
        Assert.NotEmpty(names);
        Assert.Equal(names.Length, importances.Length);
        Assert.Equal(names.Length, names.Distinct().Count());
        if (body["manual_predictors"] is JsonArray picked)
        {
            Assert.Equal(picked.Select(p => p!.GetValue<string>()), names);
        }
        else
        {
            Assert.Equal(body["number_predictor"]!.GetValue<int>(), names.Length);
        }

        var pie = answer["feature_importance_pie"]!;
        Assert.Equal(Texts(pie["category"], "feature_importance_pie.category").Length, Numbers(pie["value"], "feature_importance_pie.value").Length);

        var correlation = answer["correlation"]!;
        var columns = Texts(correlation["columns"], "correlation.columns");
        var rows = Assert.IsType<JsonArray>(correlation["data"]);
        Assert.Equal(columns.Length, rows.Count);
        Assert.All(rows, r => Assert.Equal(columns.Length, Numbers(r, "correlation.data").Length));

        var prediction = answer["prediction"]!;
        var countries = Texts(prediction["Country Code"], "prediction.Country Code");
        var values = Numbers(prediction["prediction"], "prediction.prediction");
        var upper = Numbers(prediction["upper"], "prediction.upper");
        var lower = Numbers(prediction["lower"], "prediction.lower");
        Assert.NotEmpty(countries);
        Assert.Equal(countries.Length, values.Length);
        Assert.Equal(countries.Length, upper.Length);
        Assert.Equal(countries.Length, lower.Length);
        for (var i = 0; i < countries.Length; i++)
        {
            Assert.True(lower[i] <= values[i] && values[i] <= upper[i], $"{countries[i]}: {lower[i]} ≤ {values[i]} ≤ {upper[i]}");
        }
    }
}
