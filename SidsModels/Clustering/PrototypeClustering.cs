using SidsModels.Common;

namespace SidsModels.Clustering;

/// <summary>
/// The engine shared by k-modes and k-prototypes (Huang 1997/1998, as the kmodes package runs it): the cost of
/// a row to a prototype is the squared euclidean distance on the numeric attributes plus gamma times the
/// number of categorical attributes that differ from the prototype's modes (k-modes: no numeric attribute,
/// gamma 1). Rows are visited in order and moved one at a time, updating both prototypes at once.
/// </summary>
internal sealed class PrototypeData
{
    public PrototypeData(double[] numeric, int numericColumns, CategoricalMatrix categorical, double gamma)
    {
        Numeric = numeric;
        P = numericColumns;
        M = categorical.Columns;
        N = categorical.Rows;
        Categorical = categorical.Codes.ToArray();
        Offsets = new int[M + 1];
        for (var a = 0; a < M; a++)
        {
            Offsets[a + 1] = Offsets[a] + categorical.Levels(a);
        }
        Gamma = gamma;
    }

    /// <summary>Rows × numeric attributes (P may be 0).</summary>
    public double[] Numeric { get; }

    /// <summary>Rows × categorical attributes, coded.</summary>
    public int[] Categorical { get; }

    public int N { get; }

    public int P { get; }

    public int M { get; }

    /// <summary>Where each attribute's categories start in a prototype's frequency table; the last entry is the table's size.</summary>
    public int[] Offsets { get; }

    public double Gamma { get; }
}

/// <summary>One fitted run: prototypes (numeric means, categorical modes), labels, cost.</summary>
internal sealed record PrototypeRun(double[] Means, int[] Modes, int[] Labels, double Cost, int Iterations, bool RandomStart);

internal static class PrototypeClustering
{
    /// <summary>Best of <paramref name="restarts"/> runs (lowest cost, the first on a tie); run r uses the r-th child generator of the seed.</summary>
    public static PrototypeRun Fit(PrototypeData data, int k, int restarts, int maxIterations, ulong seed, int parallelism,
        CancellationToken cancellationToken)
    {
        if (data.N < k)
        {
            throw new ArgumentException($"{k} clusters need at least {k} rows, got {data.N}.");
        }
        var root = new Rng(seed);
        var generators = new Rng[restarts];
        for (var r = 0; r < restarts; r++)
        {
            generators[r] = root.Next();
        }
        var runs = new PrototypeRun[restarts];
        ParallelRuns.For(restarts, parallelism, cancellationToken, r => runs[r] = Single(data, k, maxIterations, generators[r], cancellationToken));
        var best = runs[0];
        for (var r = 1; r < restarts; r++)
        {
            if (runs[r].Cost < best.Cost)
            {
                best = runs[r];
            }
        }
        return best;
    }

    public static PrototypeRun Single(PrototypeData data, int k, int maxIterations, Rng rng, CancellationToken cancellationToken)
    {
        int n = data.N, m = data.M;
        var means = new double[k * data.P];
        var modes = new int[k * m];
        // Huang fails exactly when fewer than k rows have distinct categories, whatever it draws: no retry.
        var randomStart = !Huang(data, k, rng, means, modes);
        if (randomStart)
        {
            DistinctRandomRows(data, k, rng, means, modes);
        }

        var state = new State(data, k, means, modes, rng);
        for (var i = 0; i < n; i++)
        {
            state.Add(i, state.Nearest(i, out _));
        }
        for (var c = 0; c < k; c++)
        {
            if (state.Counts[c] > 0)
            {
                state.UpdateMeans(c);
                for (var a = 0; a < m; a++)
                {
                    modes[c * m + a] = state.MostFrequent(c, a);
                }
            }
        }

        var iterations = 0;
        while (iterations < maxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iterations++;
            var (moves, cost) = state.Pass();
            if (moves == 0)
            {
                // Nothing moved, so the prototypes did not change during the pass: its costs are the final ones.
                return new PrototypeRun(means, modes, (int[])state.Labels.Clone(), cost, iterations, randomStart);
            }
        }
        // Out of iterations: label each row by its nearest prototype, as the kmodes package reports.
        var labels = new int[n];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            labels[i] = state.Nearest(i, out var distance);
            total += distance;
        }
        return new PrototypeRun(means, modes, labels, total, iterations, randomStart);
    }

    /// <summary>
    /// Huang's initialisation as the kmodes package does it: for each attribute draw k values in proportion to
    /// their frequencies, then replace each drawn prototype by the row nearest to it (matching dissimilarity,
    /// the first row on a tie) whose categories differ from the prototypes already chosen. Numeric attributes
    /// take that row's values (the package draws them from a normal distribution instead, which leaves clusters
    /// empty and makes it retry and finally raise on small surveys). False when no such row is left.
    /// </summary>
    private static bool Huang(PrototypeData data, int k, Rng rng, double[] means, int[] modes)
    {
        int n = data.N, p = data.P, m = data.M;
        var cat = data.Categorical;
        var drawn = new int[k * m];
        for (var a = 0; a < m; a++)
        {
            for (var c = 0; c < k; c++)
            {
                drawn[c * m + a] = cat[rng.NextInt(n) * m + a];
            }
        }
        var chosen = new int[k];
        for (var c = 0; c < k; c++)
        {
            var target = drawn.AsSpan(c * m, m);
            var bestRow = -1;
            var bestDistance = int.MaxValue;
            for (var i = 0; i < n && bestDistance > 0; i++)
            {
                var distance = Distance.Mismatches(cat.AsSpan(i * m, m), target);
                if (distance < bestDistance && !SameCategoriesAsAny(cat, m, i, chosen.AsSpan(0, c)))
                {
                    bestDistance = distance;
                    bestRow = i;
                }
            }
            if (bestRow < 0)
            {
                return false;
            }
            chosen[c] = bestRow;
        }
        for (var c = 0; c < k; c++)
        {
            Array.Copy(data.Numeric, chosen[c] * p, means, c * p, p);
            Array.Copy(cat, chosen[c] * m, modes, c * m, m);
        }
        return true;
    }

    private static bool SameCategoriesAsAny(int[] cat, int m, int row, ReadOnlySpan<int> others)
    {
        var values = cat.AsSpan(row * m, m);
        foreach (var other in others)
        {
            if (values.SequenceEqual(cat.AsSpan(other * m, m)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>k distinct rows drawn at random (numeric and categorical parts); callers ensure there are k.</summary>
    private static void DistinctRandomRows(PrototypeData data, int k, Rng rng, double[] means, int[] modes)
    {
        int n = data.N, p = data.P, m = data.M;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        var chosen = new List<int>(k);
        for (var t = 0; t < n && chosen.Count < k; t++)
        {
            var swap = t + rng.NextInt(n - t);
            (order[t], order[swap]) = (order[swap], order[t]);
            var row = order[t];
            var duplicate = false;
            foreach (var other in chosen)
            {
                if (data.Numeric.AsSpan(row * p, p).SequenceEqual(data.Numeric.AsSpan(other * p, p))
                    && data.Categorical.AsSpan(row * m, m).SequenceEqual(data.Categorical.AsSpan(other * m, m)))
                {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate)
            {
                chosen.Add(row);
            }
        }
        if (chosen.Count < k)
        {
            throw new ArgumentException($"The data hold {chosen.Count} distinct rows, fewer than the {k} clusters asked for.");
        }
        for (var c = 0; c < k; c++)
        {
            Array.Copy(data.Numeric, chosen[c] * p, means, c * p, p);
            Array.Copy(data.Categorical, chosen[c] * m, modes, c * m, m);
        }
    }

    /// <summary>Memberships and the running sums and category counts that keep prototypes current as rows move.</summary>
    private sealed class State
    {
        private readonly PrototypeData data;
        private readonly int k;
        private readonly double[] means;
        private readonly int[] modes;
        private readonly double[] sums;
        private readonly int[] frequencies;
        private readonly Rng rng;

        public State(PrototypeData data, int k, double[] means, int[] modes, Rng rng)
        {
            this.data = data;
            this.k = k;
            this.means = means;
            this.modes = modes;
            this.rng = rng;
            sums = new double[k * data.P];
            frequencies = new int[k * data.Offsets[data.M]];
            Counts = new int[k];
            Labels = new int[data.N];
        }

        public int[] Counts { get; }

        public int[] Labels { get; }

        /// <summary>
        /// Visits every row once and moves it to the prototype of lowest cost when that is strictly below its
        /// own (ties stay, so each move lowers the total cost and runs cannot cycle). Returns the moves and the
        /// sum of each row's cost to its own prototype at its visit (the total cost when nothing moved).
        /// </summary>
        public (int Moves, double Cost) Pass()
        {
            int n = data.N, p = data.P, m = data.M;
            var gamma = data.Gamma;
            var numeric = data.Numeric.AsSpan();
            var categorical = data.Categorical.AsSpan();
            var moves = 0;
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                var x = numeric.Slice(i * p, p);
                var v = categorical.Slice(i * m, m);
                var current = Labels[i];
                var currentCost = Distance.SquaredEuclidean(x, means.AsSpan(current * p, p)) + gamma * Distance.Mismatches(v, modes.AsSpan(current * m, m));
                var best = current;
                var bestCost = currentCost;
                for (var c = 0; c < k; c++)
                {
                    if (c == current)
                    {
                        continue;
                    }
                    var cost = p > 0 ? Distance.SquaredEuclidean(x, means.AsSpan(c * p, p)) : 0.0;
                    if (cost >= bestCost)
                    {
                        continue;
                    }
                    cost += gamma * Distance.Mismatches(v, modes.AsSpan(c * m, m));
                    if (cost < bestCost)
                    {
                        bestCost = cost;
                        best = c;
                    }
                }
                total += currentCost;
                if (best != current)
                {
                    moves++;
                    Move(i, current, best);
                    if (Counts[current] == 0)
                    {
                        Refill(current);
                    }
                }
            }
            return (moves, total);
        }

        /// <summary>The cost of row <paramref name="i"/> to prototype <paramref name="c"/>; stops early (returning a value ≥ bound) once it reaches <paramref name="bound"/>.</summary>
        public double Cost(int i, int c, double bound)
        {
            int p = data.P, m = data.M;
            var total = 0.0;
            if (p > 0)
            {
                total = Distance.SquaredEuclidean(data.Numeric.AsSpan(i * p, p), means.AsSpan(c * p, p));
                if (total >= bound)
                {
                    return total;
                }
            }
            return total + data.Gamma * Distance.Mismatches(data.Categorical.AsSpan(i * m, m), modes.AsSpan(c * m, m));
        }

        /// <summary>The prototype of lowest cost (the first on a tie).</summary>
        public int Nearest(int i, out double cost)
        {
            var best = 0;
            cost = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                var current = Cost(i, c, cost);
                if (current < cost)
                {
                    cost = current;
                    best = c;
                }
            }
            return best;
        }

        public void Add(int i, int c)
        {
            int p = data.P, m = data.M;
            Labels[i] = c;
            Counts[c]++;
            var row = data.Numeric.AsSpan(i * p, p);
            var sum = sums.AsSpan(c * p, p);
            for (var j = 0; j < p; j++)
            {
                sum[j] += row[j];
            }
            var table = data.Offsets[m];
            for (var a = 0; a < m; a++)
            {
                frequencies[c * table + data.Offsets[a] + data.Categorical[i * m + a]]++;
            }
        }

        public void UpdateMeans(int c)
        {
            var p = data.P;
            var count = Counts[c];
            for (var j = 0; j < p; j++)
            {
                means[c * p + j] = count > 0 ? sums[c * p + j] / count : 0;
            }
        }

        /// <summary>The most frequent category of attribute <paramref name="a"/> in cluster <paramref name="c"/> (the smallest code on a tie).</summary>
        public int MostFrequent(int c, int a)
        {
            var table = data.Offsets[data.M];
            var start = c * table + data.Offsets[a];
            var levels = data.Offsets[a + 1] - data.Offsets[a];
            var best = 0;
            var bestCount = frequencies[start];
            for (var v = 1; v < levels; v++)
            {
                if (frequencies[start + v] > bestCount)
                {
                    bestCount = frequencies[start + v];
                    best = v;
                }
            }
            return best;
        }

        /// <summary>Moves row i between clusters and brings both prototypes up to date.</summary>
        public void Move(int i, int from, int to)
        {
            int p = data.P, m = data.M, table = data.Offsets[m];
            Labels[i] = to;
            Counts[to]++;
            Counts[from]--;
            var row = data.Numeric.AsSpan(i * p, p);
            for (var j = 0; j < p; j++)
            {
                sums[to * p + j] += row[j];
                sums[from * p + j] -= row[j];
            }
            UpdateMeans(to);
            UpdateMeans(from);
            for (var a = 0; a < m; a++)
            {
                var value = data.Categorical[i * m + a];
                var offset = data.Offsets[a];
                var toCount = ++frequencies[to * table + offset + value];
                if (toCount > frequencies[to * table + offset + modes[to * m + a]])
                {
                    modes[to * m + a] = value;
                }
                frequencies[from * table + offset + value]--;
                if (modes[from * m + a] == value)
                {
                    modes[from * m + a] = MostFrequent(from, a);
                }
            }
        }

        /// <summary>An emptied cluster takes a random row of the largest cluster (the first largest), as the kmodes package does.</summary>
        public void Refill(int empty)
        {
            var source = 0;
            for (var c = 1; c < k; c++)
            {
                if (Counts[c] > Counts[source])
                {
                    source = c;
                }
            }
            var pick = rng.NextInt(Counts[source]);
            for (var i = 0; i < Labels.Length; i++)
            {
                if (Labels[i] == source && pick-- == 0)
                {
                    Move(i, source, empty);
                    return;
                }
            }
        }
    }
}
