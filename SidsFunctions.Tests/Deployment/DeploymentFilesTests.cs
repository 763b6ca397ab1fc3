using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// The deployment files that cannot be run here (no Docker engine, no Bicep compiler, no Azure), held
/// to the app and to what Flex Consumption and the Functions host image expect: the Bicep hangs together
/// (modules, parameters, brackets) and deploys a Flex Consumption dotnet-isolated 10.0 app with every
/// setting the app reads and none Flex refuses, reached by one managed identity with its roles; the
/// platform CORS is the app's allow-list; the image runs the published app on the dotnet-isolated host
/// image; the pipeline runs the README's tests before it publishes, builds the image or deploys.
/// </summary>
[Trait("Category", "Deployment")]
public sealed class DeploymentFilesTests
{
    private const string HostImage = "mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0";

    private static readonly DeploymentFiles.Bicep Api = new(Repository.PathOf("infra", "app", "api.bicep"));

    private static readonly DeploymentFiles.Bicep Main = new(Repository.PathOf("infra", "main.bicep"));

    private static readonly DeploymentFiles.Bicep Rbac = new(Repository.PathOf("infra", "app", "rbac.bicep"));

    private static BicepObject FunctionApp => Api.Resource("Microsoft.Web/sites");

    private static BicepObject AppSettings => Api.VariableObject("appSettings");

    private static IEnumerable<DeploymentFiles.Bicep> AllBicep() =>
        Directory.EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories).Select(p => new DeploymentFiles.Bicep(p));

    private static JsonNode Pipeline => Manifests.ReadYaml(Repository.PathOf("azure-pipelines.yml")).Single();

    private static Dictionary<string, JsonObject> Stages => Pipeline["stages"].Objects().ToDictionary(s => s.Text("stage"));

    private static IEnumerable<JsonObject> DeploySteps(string stage) =>
        Stages[stage]["jobs"].Objects().Single()["strategy"]!["runOnce"]!["deploy"]!["steps"].Objects();

    private static string ReadmeTestCommand()
    {
        var command = Regex.Match(File.ReadAllText(Repository.PathOf("README.md")), @"dotnet test SidsMl\.sln -c \w+").Value;
        Assert.NotEmpty(command);
        return command;
    }

    [Fact]
    public void ThePlanIsFlexConsumptionAndTheAppRunsDotnetIsolated10FromABlobContainer()
    {
        var plan = Api.Resource("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan["sku"].String("name"));
        Assert.Equal("FlexConsumption", plan["sku"].String("tier"));
        Assert.Equal("true", plan["properties"].Value("reserved"));

        var app = FunctionApp;
        Assert.Equal("functionapp,linux", app.String("kind"));
        Assert.Equal("plan.id", app["properties"].Value("serverFarmId"));
        var config = app["properties"]["functionAppConfig"];
        Assert.Equal("dotnet-isolated", config["runtime"].String("name"));
        Assert.Equal("10.0", config["runtime"].String("version"));

        // The package lives in a container of the app's storage account, read with the app's identity.
        var storage = config["deployment"]["storage"];
        Assert.Equal("blobContainer", storage.String("type"));
        Assert.Equal("'${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'", storage.Value("value"));
        Assert.Equal("UserAssignedIdentity", storage["authentication"].String("type"));
        Assert.Equal("identityId", storage["authentication"].Value("userAssignedIdentityResourceId"));
        Assert.Equal("UserAssigned", app["identity"].String("type"));
        Assert.Equal(["${identityId}"], app["identity"]["userAssignedIdentities"].Keys);

        var scale = config["scaleAndConcurrency"];
        Assert.Equal("maximumInstanceCount", scale.Value("maximumInstanceCount"));
        Assert.Equal("instanceMemoryMB", scale.Value("instanceMemoryMB"));
        Assert.Equal("httpPerInstanceConcurrency", scale["triggers"]["http"].Value("perInstanceConcurrency"));
        // Flex Consumption's memory sizes; 512 MB would not hold the dataset and a prediction.
        Assert.Matches(@"@allowed\(\[\s+2048\s+4096\s+\]\)\s+param instanceMemoryMB int = 2048", Main.Text);

        // Properties of the older plans that Flex Consumption refuses.
        Assert.False(app["properties"]["siteConfig"].Has("linuxFxVersion"));
        Assert.DoesNotContain("functionAppScaleLimit", Api.Code, StringComparison.Ordinal);
        // azd finds the app to deploy the service `api` of azure.yaml by this tag.
        Assert.Contains("'azd-service-name': 'api'", app.Value("tags"), StringComparison.Ordinal);
        Assert.Equal("true", app["properties"].Value("httpsOnly"));
    }

    [Fact]
    public void TheAppSettingsAreEveryOneTheAppNeedsAndNoneFlexConsumptionRefuses()
    {
        var names = AppSettings.Keys;
        Assert.All(names, n => Assert.True(DeploymentSettings.IsKnown(n), $"api.bicep sets {n}: neither in SettingNames.All nor a Functions platform setting"));
        // A connection given by identity is a section (AzureWebJobsStorage__accountName, ...), not a value.
        Assert.All(DeploymentSettings.RequiredOfADeployment(), n => Assert.True(names.Contains(n) || names.Any(k => k.StartsWith(n + "__", StringComparison.Ordinal)), $"api.bicep does not set {n}"));
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.DoesNotContain(n, DeploymentSettings.RejectedByFlexConsumption));
        Assert.Equal("true", AppSettings.String("AzureWebJobsDisableHomepage"));

        // The settings reach the app as the site's appsettings config, with extraAppSettings merged over them.
        var config = Api.Resource("Microsoft.Web/sites/config");
        Assert.Equal("functionApp", config.Value("parent"));
        Assert.Equal("appsettings", config.String("name"));
        Assert.Equal("union(appSettings, extraAppSettings)", config.Value("properties"));
        Assert.Matches(@"(?m)^resource functionApp 'Microsoft.Web/sites@", Api.Text);
    }

    [Fact]
    public void HostStorageAndTheAppsBlobsAreReachedByTheAppsIdentityWhichHoldsTheRolesForThem()
    {
        // No connection string: the host builds its storage client from the identity-based settings.
        Assert.False(AppSettings.Has(SettingNames.Storage));
        Assert.Equal("storage.name", AppSettings.Value("AzureWebJobsStorage__accountName"));
        Assert.Equal("managedidentity", AppSettings.String("AzureWebJobsStorage__credential"));
        Assert.Equal("identityClientId", AppSettings.Value("AzureWebJobsStorage__clientId"));
        Assert.Equal("identityClientId", AppSettings.Value(SettingNames.StorageClientId));
        Assert.Equal("storage.properties.primaryEndpoints.blob", AppSettings.Value(SettingNames.StorageAccountUrl));
        Assert.Equal("applicationInsights.properties.ConnectionString", AppSettings.Value(SettingNames.ApplicationInsights));
        Assert.Equal("'ClientId=${identityClientId};Authorization=AAD'", AppSettings.Value("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));

        // One identity: the app runs as it, and the roles are given to it.
        var api = Main.ModuleBody("api")["params"];
        Assert.Equal("identity.outputs.id", api.Value("identityId"));
        Assert.Equal("identity.outputs.clientId", api.Value("identityClientId"));
        var rbac = Main.ModuleBody("rbac")["params"];
        Assert.Equal("identity.outputs.principalId", rbac.Value("functionPrincipalId"));
        Assert.Equal("storage.outputs.name", rbac.Value("storageAccountName"));
        Assert.Equal("monitoring.outputs.applicationInsightsName", rbac.Value("applicationInsightsName"));
        Assert.Contains("rbac", Main.ModuleBody("api").Value("dependsOn"), StringComparison.Ordinal);

        // Storage Blob Data Owner on the account (host blobs, deployment package, the app's blobs) and
        // Monitoring Metrics Publisher on Application Insights, both for the app's identity.
        var assignments = Rbac.Resources("Microsoft.Authorization/roleAssignments");
        (string Scope, string Role) Grant(BicepObject assignment) =>
            (assignment.Value("scope"), Regex.Match(assignment["properties"].Value("roleDefinitionId"), @"'Microsoft.Authorization/roleDefinitions', (\w+)\)").Groups[1].Value);
        var functionGrants = assignments.Where(a => a["properties"].Value("principalId") == "functionPrincipalId").Select(Grant).ToArray();
        Assert.Contains(("storage", "storageBlobDataOwner"), functionGrants);
        Assert.Contains(("applicationInsights", "monitoringMetricsPublisher"), functionGrants);
        Assert.Matches(@"var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'", Rbac.Text);
        Assert.Matches(@"var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'", Rbac.Text);
        Assert.All(assignments, a => Assert.StartsWith("guid(", a.Value("name"), StringComparison.Ordinal));

        // The deployment container exists in the account the app deploys from.
        Assert.Contains("deploymentContainerName", Main.ModuleBody("storage")["params"].Value("containerNames"), StringComparison.Ordinal);
        Assert.Equal("deploymentContainerName", api.Value("deploymentContainerName"));
        Assert.Equal("storage.outputs.name", api.Value("storageAccountName"));
    }

    [Fact]
    public void ThePlatformCorsIsTheAppsExactAllowListAndTheAppIsGivenTheSameList()
    {
        var defaults = HttpConventions.DefaultCorsOrigins;
        var mainDefault = Regex.Match(Main.Text, @"(?m)^param corsOrigins string = '([^']*)'$");
        Assert.True(mainDefault.Success, "main.bicep: param corsOrigins string = '<origins>'");
        Assert.Equal(defaults, mainDefault.Groups[1].Value.Split(','));
        Assert.Equal("corsOrigins", Main.ModuleBody("api")["params"].Value("corsOrigins"));

        // api.bicep: one list, split from the parameter, for the platform and for CORS_ORIGINS.
        Assert.Matches(@"(?m)^var corsOriginList = filter\(map\(split\(corsOrigins, ','\), origin => trim\(origin\)\), origin => !empty\(origin\)\)$", Api.Text);
        var cors = FunctionApp["properties"]["siteConfig"]["cors"];
        Assert.Equal("corsOriginList", cors.Value("allowedOrigins"));
        Assert.Equal("false", cors.Value("supportCredentials"));
        Assert.Equal("join(corsOriginList, ',')", AppSettings.Value(SettingNames.CorsOrigins));

        // azd's override keeps the same default; so do the local sample and the AKS settings.
        var parameters = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra", "main.parameters.json")))!["parameters"]!;
        Assert.Equal($"${{CORS_ORIGINS={string.Join(',', defaults)}}}", parameters["corsOrigins"]!["value"]!.GetValue<string>());
        var sample = JsonNode.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")))!["Values"]!;
        Assert.Equal(string.Join(',', defaults), sample[SettingNames.CorsOrigins]!.GetValue<string>());
        var aks = Manifests.Kubernetes().OfKind("ConfigMap").Single().Node["data"]!;
        Assert.Equal(string.Join(',', defaults), aks.Text(SettingNames.CorsOrigins));
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
    public void ModulesExistGetEveryParameterTheyRequireAndNoOtherAndDeclareTheOutputsMainReads()
    {
        var modules = Main.Modules();
        Assert.Equal(["monitoring", "identity", "storage", "rbac", "api"], modules.Select(m => m.Name));
        foreach (var (name, file, passed) in modules)
        {
            var path = Path.Combine(Path.GetDirectoryName(Main.Path)!, file);
            Assert.True(File.Exists(path), $"module {name}: {file} does not exist");
            var declared = new DeploymentFiles.Bicep(path).Parameters();
            Assert.All(passed, p => Assert.True(declared.Any(d => d.Name == p), $"module {name} passes {p}, which {file} does not declare"));
            Assert.All(declared.Where(d => !d.HasDefault), d => Assert.True(passed.Contains(d.Name), $"module {name} does not pass {d.Name}"));

            // Every output main.bicep reads from the module is one the module declares.
            var outputs = new DeploymentFiles.Bicep(path).Outputs();
            var read = Regex.Matches(Main.Text, $@"\b{name}\.outputs\.(\w+)").Select(m => m.Groups[1].Value).Distinct();
            Assert.All(read, o => Assert.True(outputs.Contains(o), $"main.bicep reads {name}.outputs.{o}, which {file} does not declare"));
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
        Assert.Contains("AZURE_FUNCTION_APP_NAME", Main.Outputs());
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
    public void TheLocalSettingsSampleIsADotnetIsolatedAppWithKnownNames()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")))!;
        var values = sample["Values"]!.AsObject();
        Assert.All(values.Select(v => v.Key), n => Assert.True(DeploymentSettings.IsKnown(n), $"local.settings.sample.json sets {n}: neither in SettingNames.All nor a Functions platform setting"));
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
        Assert.Equal("true", values["AzureWebJobsDisableHomepage"]!.GetValue<string>());
        // The app answers CORS; the host's own CORS (func start) stays off.
        Assert.Equal("", sample["Host"]!["CORS"]!.GetValue<string>());
    }

    [Fact]
    public void TheImageIsTheDotnetIsolatedHostRunningThePublishedAppFromTheScriptRoot()
    {
        var stages = DeploymentFiles.DockerStages();
        var final = stages[^1];
        Assert.Equal(HostImage, final.Image);

        // The build stage: the .NET 10 SDK publishes the function app into the script root.
        var build = stages.Single(s => s.Name == "build");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", build.Image);
        var publish = build.Instructions.Single(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        Assert.StartsWith("dotnet publish SidsFunctions -c Release -o /home/site/wwwroot", publish, StringComparison.Ordinal);
        Assert.DoesNotContain("--self-contained", publish, StringComparison.Ordinal);
        Assert.Contains("test -f /home/site/wwwroot/functions.metadata", publish, StringComparison.Ordinal);
        Assert.Contains("test -f /home/site/wwwroot/worker.config.json", publish, StringComparison.Ordinal);
        // The local host is never deployed: the build fails if it lands in the publish folder.
        Assert.Contains("! ls /home/site/wwwroot | grep -q 'LocalHost'", publish, StringComparison.Ordinal);

        // The final stage takes only that folder.
        var copies = final.Instructions.Where(i => i.Keyword == "COPY").ToArray();
        Assert.Equal("--from=build --chown=root:root /home/site/wwwroot /home/site/wwwroot", Assert.Single(copies).Arguments);
        var environment = DeploymentFiles.DockerFinalEnvironment();
        Assert.Equal("/home/site/wwwroot", environment["AzureWebJobsScriptRoot"]);
        Assert.Equal("true", environment["AzureFunctionsJobHost__Logging__Console__IsEnabled"]);
        Assert.Equal("dotnet-isolated", environment["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("true", environment["AzureWebJobsDisableHomepage"]);
        Assert.All(environment.Keys, n => Assert.True(DeploymentSettings.IsKnown(n), $"Dockerfile sets {n}"));

        // The host image listens on port 80; the health check asks the liveness path through it.
        Assert.Equal(80, DeploymentFiles.DockerfileExposedPort());
        var healthCheck = final.Instructions.Single(i => i.Keyword == "HEALTHCHECK").Arguments;
        Assert.Contains("/dev/tcp/127.0.0.1/80", healthCheck, StringComparison.Ordinal);
        Assert.Contains("GET /health/live ", healthCheck, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBuildContextHoldsWhatThePublishNeedsAndNoSecretsOrBuildOutput()
    {
        foreach (var needed in new[] { "SidsFunctions/SidsFunctions.csproj", "SidsFunctions/Program.cs", "SidsModels/SidsModels.csproj", "Directory.Build.props", "Directory.Packages.props", "host.json" })
        {
            Assert.False(DeploymentFiles.DockerIgnores(needed), $".dockerignore leaves out {needed}, which the publish needs");
        }
        foreach (var kept in new[] { "local.settings.json", "SidsFunctions/local.settings.json", "SidsFunctions/bin/Release/x.dll", "SidsModels/obj/project.assets.json", ".git/HEAD", ".ci/node/node_modules/azurite/package.json", "SidsFunctions.Tests/SidsFunctions.Tests.csproj" })
        {
            Assert.True(DeploymentFiles.DockerIgnores(kept), $".dockerignore lets {kept} into the build context");
        }
    }

    [Fact]
    public void ThePipelineRunsTheReadmesTestsBeforeItPublishesBuildsTheImageOrDeploys()
    {
        var readmeCommand = ReadmeTestCommand();
        Assert.Contains(readmeCommand, File.ReadAllText(Repository.PathOf(".ci", "run")), StringComparison.Ordinal);
        Assert.Equal(["Build", "Docker", "DeployFunction", "DeployAks"], Stages.Keys);
        Assert.Equal("Release", Pipeline["variables"]!.Text("buildConfiguration"));
        Assert.StartsWith("10.", Pipeline["variables"]!.Text("dotnetVersion"), StringComparison.Ordinal);

        var steps = Stages["Build"]["jobs"].Objects().Single()["steps"].Objects().ToArray();
        int StepOf(Func<JsonObject, bool> predicate) => Array.FindIndex(steps, s => predicate(s));
        string Script(JsonObject step) => Regex.Replace(step.TextOrNull("script") ?? "", @"\s+", " ").Trim();
        var dotnet = StepOf(s => s.TextOrNull("task") == "UseDotNet@2");
        var node = StepOf(s => s.TextOrNull("task") == "NodeTool@0");
        var build = StepOf(s => Script(s) == "dotnet build SidsMl.sln -c $(buildConfiguration)");
        var test = StepOf(s => Script(s) == "bash .ci/run");
        var publish = StepOf(s => Script(s).StartsWith("dotnet publish SidsFunctions -c $(buildConfiguration) -o $(Build.ArtifactStagingDirectory)/app", StringComparison.Ordinal));
        Assert.All(new[] { dotnet, node, build, test, publish }, i => Assert.True(i >= 0, "a Build step is missing"));
        Assert.True(dotnet < build && node < test && build < test && test < publish, "order: SDK and Node, build, .ci/run, publish");
        Assert.DoesNotContain("--self-contained", Script(steps[publish]), StringComparison.Ordinal);

        // The zip of the publish folder is the artifact the deployment takes.
        var zip = steps.Single(s => s.TextOrNull("task") == "ArchiveFiles@2")["inputs"]!;
        Assert.Equal("$(Build.ArtifactStagingDirectory)/app", zip.Text("rootFolderOrFile"));
        Assert.Equal("false", zip.Text("includeRootFolder"));
        var artifact = steps.Single(s => s.TextOrNull("task") == "PublishPipelineArtifact@1" && s["inputs"]!.Text("targetPath") == zip.Text("archiveFile"))["inputs"]!;
        var deploy = DeploySteps("DeployFunction").Single(s => s.TextOrNull("task") == "AzureFunctionApp@2")["inputs"]!;
        Assert.Equal($"$(Pipeline.Workspace)/{artifact.Text("artifact")}/{Path.GetFileName(zip.Text("archiveFile"))}", deploy.Text("package"));

        foreach (var stage in new[] { "Docker", "DeployFunction", "DeployAks" })
        {
            var dependsOn = Stages[stage]["dependsOn"]!;
            var upstream = dependsOn is JsonArray list ? list.Select(d => d!.GetValue<string>()).ToArray() : [dependsOn.GetValue<string>()];
            Assert.Contains("Build", upstream);
            Assert.StartsWith("and(succeeded()", Stages[stage].Text("condition"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheFunctionAppIsDeployedWithTheFlexConsumptionSettingsOfTheTask()
    {
        var deploy = DeploySteps("DeployFunction").Single(s => s.TextOrNull("task") == "AzureFunctionApp@2")["inputs"]!.AsObject();
        Assert.Equal("functionAppLinux", deploy.Text("appType"));
        Assert.Equal("true", deploy.Text("isFlexConsumption"));
        Assert.Equal("$(functionAppName)", deploy.Text("appName"));
        // Flex Consumption takes the runtime from functionAppConfig and has no slots or deployment methods.
        foreach (var refused in new[] { "runtimeStack", "deploymentMethod", "deployToSlotOrASE", "slotName", "appSettings" })
        {
            Assert.False(deploy.ContainsKey(refused), $"AzureFunctionApp@2 is given {refused}, which Flex Consumption does not take");
        }

        // The image is built from the Dockerfile once the tests passed.
        var image = Stages["Docker"]["jobs"].Objects().Single()["steps"].Objects().Single(s => s.TextOrNull("task") == "Docker@2")["inputs"]!;
        Assert.Equal("buildAndPush", image.Text("command"));
        Assert.Equal("Dockerfile", image.Text("Dockerfile"));
        Assert.Equal("$(imageRepository)", image.Text("repository"));
    }

    [Fact]
    public void TheAksStageDeploysTheManifestsThatExistWithTheImageItBuilt()
    {
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
        var repository = Pipeline["variables"]!.Text("imageRepository");
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
    public void AzdDeploysTheFunctionProjectAsADotnetFunctionApp()
    {
        var azure = Manifests.ReadYaml(Repository.PathOf("azure.yaml")).Single();
        var services = azure["services"]!.AsObject();
        var api = Assert.Single(services);
        Assert.Equal("api", api.Key);
        Assert.Equal("function", api.Value!.Text("host"));
        Assert.Equal("dotnet", api.Value!.Text("language"));
        var project = Path.GetFullPath(Path.Combine(Repository.Root, api.Value!.Text("project")));
        Assert.Equal(Repository.PathOf("SidsFunctions"), project.TrimEnd(Path.DirectorySeparatorChar));
        Assert.True(File.Exists(Path.Combine(project, "SidsFunctions.csproj")));
        // azd publishes the project itself; no hook re-publishes it another way.
        Assert.Null(api.Value!["hooks"]);
    }
}
