// BenchmarkDotNet benchmarks of the hot kernels. Run all, or filter:
//   dotnet run -c Release --project bench/SidsBenchmarks -- --filter '*Forest*'
// Results and the machine they ran on are recorded in docs/PERFORMANCE.md.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
