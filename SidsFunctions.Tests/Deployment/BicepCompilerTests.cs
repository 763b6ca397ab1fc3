using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// infra/main.bicep and its modules through the Bicep compiler of the Azure.Bicep.CommandLine package:
/// no error and no warning (unknown properties of a resource type are warnings, so this holds the
/// Flex Consumption properties to the types Azure publishes), with the linter's default rules; and the
/// template it writes deploys what the structural tests read.
/// </summary>
[Trait("Category", "Deployment")]
public sealed class BicepCompilerTests
{
    /// <summary>The compiler the test project restored (BicepPath from the package's props).</summary>
    private static string Compiler()
    {
        var configured = typeof(BicepCompilerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPath").Value;
        Assert.False(string.IsNullOrEmpty(configured), "BicepPath is not set: the Azure.Bicep.CommandLine package did not restore");
        var path = Path.GetFullPath(configured!.Replace('\\', '/'));
        Assert.True(File.Exists(path), $"{path} does not exist");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the test project restores the linux-x64 Bicep compiler");
        }
        // NuGet does not keep the executable bit of the files it extracts.
        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return path;
    }

    private static (int ExitCode, string Output, string Diagnostics) Build(string file)
    {
        var start = new ProcessStartInfo(Compiler())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in new[] { "build", file, "--stdout" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var diagnostics = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bicep build {file} did not finish within 3 minutes");
        }
        return (process.ExitCode, output.Result, diagnostics.Result);
    }

    [Fact]
    public void MainAndItsModulesCompileWithoutErrorsOrWarnings()
    {
        var (exitCode, output, diagnostics) = Build(Repository.PathOf("infra", "main.bicep"));
        Assert.True(exitCode == 0 && diagnostics.Trim().Length == 0, $"bicep build exited {exitCode}:\n{diagnostics}");

        // The template: the modules as nested deployments, the function app's Flex Consumption config.
        var template = JsonNode.Parse(output)!;
        var resources = template["resources"]!.AsArray().Select(r => r!).ToArray();
        var api = resources.Single(r => r["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && r["name"]!.GetValue<string>() == "api");
        var apiResources = api["properties"]!["template"]!["resources"]!.AsArray().Select(r => r!).ToArray();
        var site = apiResources.Single(r => r["type"]!.GetValue<string>() == "Microsoft.Web/sites");
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        var plan = apiResources.Single(r => r["type"]!.GetValue<string>() == "Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
    }

    [Fact]
    public void TheCompilerReportsAnUnknownPropertyOfAResourceType()
    {
        // The check above means something only if the compiler knows the types: a wrong property fails.
        var folder = Directory.CreateTempSubdirectory("sids-bicep-");
        try
        {
            var file = Path.Combine(folder.FullName, "wrong.bicep");
            File.WriteAllText(file, """
                resource app 'Microsoft.Web/sites@2024-04-01' = {
                  name: 'x'
                  location: 'westeurope'
                  properties: {
                    functionAppConfig: {
                      runtime: {
                        name: 'dotnet-isolated'
                        release: '10.0'
                      }
                    }
                  }
                }
                """);
            var (_, _, diagnostics) = Build(file);
            Assert.Contains("BCP037", diagnostics, StringComparison.Ordinal);
            Assert.Contains("release", diagnostics, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
