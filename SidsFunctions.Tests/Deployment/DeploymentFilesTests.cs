using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// The deployment files that cannot be run here (no Docker engine, no Bicep compiler, no Azure), held
/// to the app: the setting names they use are the app's or the Functions platform's, the Bicep hangs
/// together (modules, parameters, brackets), the image is a custom-handler Functions image, and the
/// pipeline runs the README's tests before anything is deployed.
/// </summary>
public sealed class DeploymentFilesTests
{
    private static readonly DeploymentFiles.Bicep Api = new(Repository.PathOf("infra", "app", "api.bicep"));

    private static readonly DeploymentFiles.Bicep Main = new(Repository.PathOf("infra", "main.bicep"));

    private static IEnumerable<DeploymentFiles.Bicep> AllBicep() =>
        Directory.EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories).Select(p => new DeploymentFiles.Bicep(p));

    [Fact]
    public void TheFunctionAppSetsEveryHandlerSettingByItsNameAndNothingUnknown()
    {
        var names = Api.VariableObjectKeys("appSettings");
        Assert.All(names, n => Assert.True(DeploymentSettings.IsKnown(n), $"api.bicep sets {n}: neither in SettingNames.All nor a Functions platform setting"));
        foreach (var name in SettingNames.All.Except(DeploymentSettings.LeftToDefaults))
        {
            Assert.Contains(name, names);
        }
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Matches(@"FUNCTIONS_WORKER_RUNTIME: 'custom'", Api.Text);
        Assert.Matches(@"AzureWebJobsDisableHomepage: 'true'", Api.Text);
    }

    [Fact]
    public void TheFunctionAppIsALinuxConsumptionCustomHandlerWithTheHandlersCorsOnly()
    {
        Assert.Contains("kind: 'functionapp,linux'", Api.Text, StringComparison.Ordinal);
        Assert.Matches(@"name: 'Y1'\s+tier: 'Dynamic'", Api.Text);
        Assert.Contains("linuxFxVersion: ''", Api.Text, StringComparison.Ordinal);
        Assert.Matches(@"cors: \{\s+allowedOrigins: \[\]\s+\}", Api.Text);
        Assert.Contains("type: 'SystemAssigned'", Api.Text, StringComparison.Ordinal);
        // azd finds the app to deploy the service `api` of azure.yaml by this tag.
        Assert.Contains("'azd-service-name': 'api'", Api.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBicepFileClosesItsBracketsAndDescribesItsParameters()
    {
        foreach (var bicep in AllBicep())
        {
            Assert.Null(bicep.BracketError());
            Assert.NotEmpty(bicep.Parameters());
            Assert.All(bicep.Parameters(), p => Assert.True(p.Described, $"{Path.GetFileName(bicep.Path)}: param {p.Name} has no @description"));
        }
    }

    [Fact]
    public void ModulesExistAndGetEveryParameterTheyRequireAndNoOther()
    {
        var modules = Main.Modules();
        Assert.Equal(["monitoring", "storage", "api", "rbac"], modules.Select(m => m.Name));
        foreach (var (name, file, passed) in modules)
        {
            var path = Path.Combine(Path.GetDirectoryName(Main.Path)!, file);
            Assert.True(File.Exists(path), $"module {name}: {file} does not exist");
            var declared = new DeploymentFiles.Bicep(path).Parameters();
            Assert.All(passed, p => Assert.True(declared.Any(d => d.Name == p), $"module {name} passes {p}, which {file} does not declare"));
            Assert.All(declared.Where(d => !d.HasDefault), d => Assert.True(passed.Contains(d.Name), $"module {name} does not pass {d.Name}"));
        }
    }

    [Fact]
    public void TheParametersFileNamesParametersOfMainAndGivesTheRequiredOnes()
    {
        var file = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra", "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = Main.Parameters();
        Assert.All(file.Select(p => p.Key), p => Assert.Contains(p, declared.Select(d => d.Name)));
        Assert.All(declared.Where(d => !d.HasDefault), d => Assert.True(file.ContainsKey(d.Name), $"main.parameters.json lacks {d.Name}"));
        // azd reads UPPER_SNAKE outputs into the environment.
        Assert.All(Main.Outputs(), o => Assert.Matches("^[A-Z][A-Z0-9_]*$", o));
        Assert.Contains("SERVICE_API_NAME", Main.Outputs());
        Assert.Contains("uniqueString(subscription().id, environmentName, location)", Main.Text, StringComparison.Ordinal);
        Assert.Contains("'azd-env-name': environmentName", Main.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAbbreviationsMainUsesExist()
    {
        var abbreviations = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra", "abbreviations.json")))!.AsObject();
        var used = Regex.Matches(Main.Text, @"abbrs\.(\w+)").Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.NotEmpty(used);
        Assert.All(used, u => Assert.True(abbreviations.ContainsKey(u), $"abbreviations.json has no {u}"));
    }

    [Fact]
    public void TheLocalSettingsSampleUsesKnownNames()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")))!;
        var values = sample["Values"]!.AsObject();
        Assert.All(values.Select(v => v.Key), n => Assert.True(DeploymentSettings.IsKnown(n), $"local.settings.sample.json sets {n}: neither in SettingNames.All nor a Functions platform setting"));
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("true", values["AzureWebJobsDisableHomepage"]!.GetValue<string>());
        // The handler answers CORS; the host's own CORS (func start) stays off.
        Assert.Equal("", sample["Host"]!["CORS"]!.GetValue<string>());
    }

    [Fact]
    public void TheImageIsAFunctionsHostRunningTheSelfContainedHandlerFromTheScriptRoot()
    {
        var image = DeploymentFiles.DockerFinalImage();
        Assert.StartsWith("mcr.microsoft.com/azure-functions/", image, StringComparison.Ordinal);
        Assert.Matches("^4($|-)", image[(image.LastIndexOf(':') + 1)..]);
        var environment = DeploymentFiles.DockerFinalEnvironment();
        Assert.Equal("/home/site/wwwroot", environment["AzureWebJobsScriptRoot"]);
        Assert.Equal("custom", environment["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("true", environment["AzureFunctionsJobHost__Logging__Console__IsEnabled"]);
        Assert.Equal("true", environment["AzureWebJobsDisableHomepage"]);
        Assert.All(environment.Keys, n => Assert.True(DeploymentSettings.IsKnown(n), $"Dockerfile sets {n}"));

        var instructions = DeploymentFiles.DockerInstructions();
        var publish = instructions.Single(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        Assert.Contains("-r linux-x64 --self-contained", publish, StringComparison.Ordinal);
        Assert.Contains("-o /home/site/wwwroot", publish, StringComparison.Ordinal);
        Assert.Contains(instructions, i => i.Keyword == "COPY" && i.Arguments.EndsWith("/home/site/wwwroot /home/site/wwwroot", StringComparison.Ordinal));
        Assert.Contains(instructions, i => i.Keyword == "HEALTHCHECK" && i.Arguments.Contains("/health/live", StringComparison.Ordinal));
        Assert.Equal(80, DeploymentFiles.DockerfileExposedPort());
    }

    [Fact]
    public void ThePipelineTestsAsTheReadmeSaysBeforeItBuildsTheImageOrDeploys()
    {
        var readmeCommand = Regex.Match(File.ReadAllText(Repository.PathOf("README.md")), @"dotnet test SidsMl\.sln -c \w+").Value;
        Assert.NotEmpty(readmeCommand);
        var pipeline = Manifests.ReadYaml(Repository.PathOf("azure-pipelines.yml")).Single();
        var stages = pipeline["stages"].Objects().ToDictionary(s => s.Text("stage"));
        Assert.Equal(["Build", "Docker", "DeployFunction", "DeployAks"], stages.Keys);

        var buildSteps = stages["Build"]["jobs"].Objects().Single()["steps"].Objects().ToArray();
        var scripts = buildSteps.Select(s => s.TextOrNull("script")).OfType<string>().Select(s => Regex.Replace(s, @"\s+", " ")).ToArray();
        Assert.Contains(scripts, s => s.Contains(readmeCommand.Replace("Release", "$(buildConfiguration)", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.Contains("azurite", StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.Contains("package --vulnerable", StringComparison.Ordinal));
        Assert.Contains(scripts, s => s.Contains("-r linux-x64 --self-contained", StringComparison.Ordinal));
        Assert.Equal("Release", pipeline["variables"]!.Text("buildConfiguration"));

        foreach (var stage in new[] { "Docker", "DeployFunction", "DeployAks" })
        {
            var dependsOn = stages[stage]["dependsOn"]!;
            var upstream = dependsOn is JsonArray list ? list.Select(d => d!.GetValue<string>()).ToArray() : [dependsOn.GetValue<string>()];
            Assert.Contains("Build", upstream);
            Assert.StartsWith("and(succeeded()", stages[stage].Text("condition"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheDeployStagesUseTheirTasksAndTheManifestsThatExist()
    {
        var pipeline = Manifests.ReadYaml(Repository.PathOf("azure-pipelines.yml")).Single();
        var stages = pipeline["stages"].Objects().ToDictionary(s => s.Text("stage"));
        IEnumerable<JsonObject> DeploySteps(string stage) =>
            stages[stage]["jobs"].Objects().Single()["strategy"]!["runOnce"]!["deploy"]!["steps"].Objects();

        var function = DeploySteps("DeployFunction").Single(s => s.TextOrNull("task") == "AzureFunctionApp@2");
        Assert.Equal("functionAppLinux", function["inputs"]!.Text("appType"));

        var deploy = DeploySteps("DeployAks").Where(s => s.TextOrNull("task") == "KubernetesManifest@1").Select(s => s["inputs"]!)
            .Where(i => i.Text("action") == "deploy").ToArray();
        var files = deploy.SelectMany(i => i.Text("manifests").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(f => Path.GetFileName(f)).ToArray();
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(Manifests.K8sFolder, f)), $"the pipeline deploys {f}, which infra/k8s lacks"));
        Assert.DoesNotContain("secrets.yaml", files);
        var kustomized = Manifests.ReadYaml(Path.Combine(Manifests.K8sFolder, "kustomization.yaml")).Single()["resources"]!.AsArray()
            .Select(r => r!.GetValue<string>());
        Assert.Equal(kustomized.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));

        // The task swaps the tag of the manifests' image by its repository name.
        var repository = pipeline["variables"]!.Text("imageRepository");
        var image = Manifests.Kubernetes().OfKind("Deployment").First().Containers().Single().Text("image");
        Assert.Equal(repository, image.Split(':')[0].Split('/')[^1]);
        Assert.EndsWith($"/$(imageRepository):$(imageTag)", deploy.Single(i => i["containers"] is not null).Text("containers"), StringComparison.Ordinal);

        // The secrets the pipeline creates carry the keys the deployments read.
        var created = DeploySteps("DeployAks").Select(s => s["inputs"]!).Where(i => i.Text("action") == "createSecret")
            .ToDictionary(i => i.Text("secretName"), i => Regex.Matches(i.Text("secretArguments"), @"--from-literal=(\w+)=").Select(m => m.Groups[1].Value).ToArray());
        foreach (var secret in Manifests.Kubernetes().OfKind("Secret"))
        {
            Assert.Equal(secret.Node["stringData"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal), created[secret.Name].Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void AzdPublishesTheHandlerSelfContainedIntoTheFolderItDeploys()
    {
        var azure = Manifests.ReadYaml(Repository.PathOf("azure.yaml")).Single();
        var api = azure["services"]!["api"]!;
        Assert.Equal("function", api.Text("host"));
        Assert.Equal("custom", api.Text("language"));
        var publish = api["hooks"]!["prepackage"]!.Text("run");
        Assert.Contains("-r linux-x64 --self-contained", publish, StringComparison.Ordinal);
        Assert.Contains($"-o {api.Text("dist")}", publish, StringComparison.Ordinal);
    }
}
