using System.Runtime.Intrinsics;

namespace SidsModels.Trees;

/// <summary>A split criterion's two scores, specialised per criterion by the JIT.</summary>
internal interface ICriterion
{
    /// <summary>A score ordered like the impurity decrease, cheaper to compute (compared between candidates).</summary>
    static abstract double Proxy(double sumLeft, double sumRight, double weightLeft, double weightRight);

    /// <summary>False only when the proxy is surely below <paramref name="bound"/> / (1 − 1e-12) (division-free).</summary>
    static abstract bool MayExceed(double sumLeft, double sumRight, double weightLeft, double weightRight, double bound);

    /// <summary><see cref="MayExceed(double, double, double, double, double)"/> for four candidates: all bits set where it holds.</summary>
    static abstract Vector256<double> MayExceed(Vector256<double> sumLeft, Vector256<double> sumRight, Vector256<double> weightLeft,
        Vector256<double> weightRight, Vector256<double> bound);

    /// <summary>The decrease reported for the chosen split.</summary>
    static abstract double Improvement(double weightTotal, double weightNode, double impurity, double impurityLeft,
        double impurityRight, double sumLeft, double sumRight, double weightLeft, double weightRight);
}

internal readonly struct SquaredError : ICriterion
{
    public static Vector256<double> MayExceed(Vector256<double> sumLeft, Vector256<double> sumRight, Vector256<double> weightLeft,
        Vector256<double> weightRight, Vector256<double> bound) =>
        ~Vector256.LessThan(sumLeft * sumLeft * weightRight + sumRight * sumRight * weightLeft, bound * (weightLeft * weightRight));

    public static bool MayExceed(double sumLeft, double sumRight, double weightLeft, double weightRight, double bound) =>
        !(sumLeft * sumLeft * weightRight + sumRight * sumRight * weightLeft < bound * (weightLeft * weightRight));

    public static double Proxy(double sumLeft, double sumRight, double weightLeft, double weightRight) =>
        sumLeft * sumLeft / weightLeft + sumRight * sumRight / weightRight;

    public static double Improvement(double weightTotal, double weightNode, double impurity, double impurityLeft,
        double impurityRight, double sumLeft, double sumRight, double weightLeft, double weightRight) =>
        weightNode / weightTotal
        * (impurity - weightRight / weightNode * impurityRight - weightLeft / weightNode * impurityLeft);
}

internal readonly struct FriedmanMse : ICriterion
{
    public static Vector256<double> MayExceed(Vector256<double> sumLeft, Vector256<double> sumRight, Vector256<double> weightLeft,
        Vector256<double> weightRight, Vector256<double> bound)
    {
        var difference = weightRight * sumLeft - weightLeft * sumRight;
        return ~Vector256.LessThan(difference * difference, bound * (weightLeft * weightRight));
    }

    public static bool MayExceed(double sumLeft, double sumRight, double weightLeft, double weightRight, double bound)
    {
        var difference = weightRight * sumLeft - weightLeft * sumRight;
        return !(difference * difference < bound * (weightLeft * weightRight));
    }

    public static double Proxy(double sumLeft, double sumRight, double weightLeft, double weightRight)
    {
        var difference = weightRight * sumLeft - weightLeft * sumRight;
        return difference * difference / (weightLeft * weightRight);
    }

    public static double Improvement(double weightTotal, double weightNode, double impurity, double impurityLeft,
        double impurityRight, double sumLeft, double sumRight, double weightLeft, double weightRight)
    {
        var difference = weightRight * sumLeft - weightLeft * sumRight;
        return difference * difference / (weightLeft * weightRight * weightNode);
    }
}
