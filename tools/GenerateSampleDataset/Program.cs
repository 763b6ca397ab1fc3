// Writes the built-in sample dataset (SidsModels.Data.SampleDataset) into a folder:
//   dotnet run --project tools/GenerateSampleDataset -- SidsFunctions/datasets [seed]
using System.Globalization;
using SidsModels.Data;

var folder = args.Length > 0 ? args[0] : Path.Combine("SidsFunctions", "datasets");
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : SampleDataset.DefaultSeed;
Directory.CreateDirectory(folder);
foreach (var (name, bytes) in SampleDataset.Generate(seed))
{
    File.WriteAllBytes(Path.Combine(folder, name), bytes);
    Console.WriteLine($"{Path.Combine(folder, name)}: {bytes.Length:N0} bytes");
}
