namespace SidsModels.Selection;

/// <summary>One cross-validation split: the rows to learn from and the held-out rows, both ascending.</summary>
public sealed record Fold(int[] Train, int[] Test);
