using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;
using SidsModels.Common;

namespace SidsFunctions.Tests.Models.Trees;

/// <summary>
/// One case of reference/trees.json: training matrix, targets, weights, test rows, and what
/// scikit-learn 1.2.1 answered. Working out the generator's settings (checked by refitting with
/// scikit-learn 1.2.1): "tree" = <c>DecisionTreeRegressor(max_depth=key, random_state=0).fit(x, y,
/// sample_weight=weight)</c>; "gbr" = <c>GradientBoostingRegressor(loss, alpha, n_estimators=20,
/// random_state=0)</c> (learning rate 0.1, depth 3) fitted with the weights; "rfe_tree_select2_step1" =
/// <c>RFE(DecisionTreeRegressor(random_state=0), n_features_to_select=2, step=1).fit(x, y)</c> without weights.
/// </summary>
internal sealed record TreesCase(FeatureMatrix X, double[] Y, double[] Weight, FeatureMatrix Test, JsonObject Raw)
{
    public const string File = "trees.json";

    public static TreesCase Load(int index)
    {
        var c = Fixtures.Cases(File)[index];
        return new TreesCase(
            FeatureMatrix.FromRows(Fixtures.Rows(c["x"])),
            Fixtures.Doubles(c["y"]),
            Fixtures.Doubles(c["weight"]),
            FeatureMatrix.FromRows(Fixtures.Rows(c["test"])),
            c);
    }

    /// <summary>"None" → null, else the integer.</summary>
    public static int? ParseDepth(string key) =>
        key == "None" ? null : int.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
}
