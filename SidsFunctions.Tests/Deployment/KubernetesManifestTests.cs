using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using SidsFunctions.Hosting;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// The AKS manifests (infra/k8s) against the image and the app: the probes ask the health paths the
/// app routes, through the host's port that the Dockerfile exposes, and the ports line up from container
/// to service to ingress; every environment name is a setting the app or the Functions host reads; one
/// deployment runs the timer and the others disable it, each with its own host id; each deployment is
/// scaled by KEDA; the datasets volume lands where DATASET_PATH points.
/// </summary>
[Trait("Category", "Deployment")]
public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<Manifests.Document> Documents = Manifests.Kubernetes();

    private static IEnumerable<Manifests.Document> Deployments => Documents.OfKind("Deployment");

    private static JsonObject ConfigMapData(string name) =>
        Documents.OfKind("ConfigMap").Single(d => d.Name == name).Node["data"]!.AsObject();

    private static JsonObject SecretData(string name) =>
        Documents.OfKind("Secret").Single(d => d.Name == name).Node["stringData"]!.AsObject();

    private static string ModelService(Manifests.Document deployment) => Env(deployment)[SettingNames.ModelService];

    /// <summary>A deployment's literal environment values (valueFrom entries left out).</summary>
    private static Dictionary<string, string> Env(Manifests.Document deployment) =>
        deployment.Containers().Single()["env"].Objects().Where(e => e["value"] is not null)
            .ToDictionary(e => e.Text("name"), e => e.Text("value"), StringComparer.Ordinal);

    /// <summary>The app's C# sources: the tests check that a name is the app's, not how the app is built.</summary>
    private static string AppSources() => string.Join('\n',
        Directory.EnumerateFiles(Repository.PathOf("SidsFunctions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(Repository.PathOf("SidsFunctions"), f).Split(Path.DirectorySeparatorChar)[0].Equals("obj", StringComparison.Ordinal)
                && !Path.GetRelativePath(Repository.PathOf("SidsFunctions"), f).Split(Path.DirectorySeparatorChar)[0].Equals("bin", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    private static IEnumerable<(string Probe, JsonObject HttpGet)> Probes(JsonObject container) =>
        new[] { "startupProbe", "livenessProbe", "readinessProbe" }
            .Select(p => (p, container[p]?["httpGet"]?.AsObject() ?? throw new InvalidOperationException($"{p} has no httpGet")));

    [Fact]
    public void EveryDocumentHasAKindANameAndTheNamespace()
    {
        Assert.NotEmpty(Documents);
        foreach (var document in Documents.Where(d => d.Kind != "Kustomization"))
        {
            Assert.False(string.IsNullOrEmpty(document.Name), $"{document.File}: {document.Kind} without a name");
            if (document.Kind is not ("Namespace" or "PersistentVolume"))
            {
                Assert.Equal("sids-ml", document.Node["metadata"].TextOrNull("namespace"));
            }
        }
        Assert.Equal(2, Deployments.Count());
    }

    [Fact]
    public void KustomizationListsEveryManifestButTheSecrets()
    {
        var kustomization = Documents.OfKind("Kustomization").Single();
        var listed = kustomization.Node["resources"]!.AsArray().Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(Manifests.K8sFolder, "*.yaml").Select(Path.GetFileName)
            .Where(f => f is not ("kustomization.yaml" or "secrets.yaml")).Order(StringComparer.Ordinal);
        Assert.Equal(files, listed);
        var image = Deployments.First().Containers().Single().Text("image");
        Assert.Equal(image.Split(':')[0], kustomization.Node["images"]!.Objects().Single().Text("name"));
    }

    [Fact]
    public void ProbesAskTheHealthPathsTheAppRoutesAndTheImagesHealthCheckAsksTheSame()
    {
        var sources = AppSources();
        foreach (var deployment in Deployments)
        {
            var container = deployment.Containers().Single();
            var probes = Probes(container).ToDictionary(p => p.Probe, p => p.HttpGet.Text("path"));
            Assert.Equal("/health/live", probes["startupProbe"]);
            Assert.Equal("/health/live", probes["livenessProbe"]);
            Assert.Equal("/health/ready", probes["readinessProbe"]);
            // The host forwards the path unchanged (routePrefix ""), so the app's route is the path.
            Assert.All(probes.Values, path => Assert.Matches("\"/?" + Regex.Escape(path.TrimStart('/')) + "\"", sources));
            // The dataset load decides readiness: the startup probe waits long enough for it.
            var startup = container["startupProbe"]!;
            Assert.True(int.Parse(startup.Text("periodSeconds"), CultureInfo.InvariantCulture) * int.Parse(startup.Text("failureThreshold"), CultureInfo.InvariantCulture) >= 120,
                $"{deployment.Name}: the startup probe gives up within 2 minutes");
        }
        Assert.Contains("GET /health/live ", DeploymentFiles.DockerStages()[^1].Instructions.Single(i => i.Keyword == "HEALTHCHECK").Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void OneDeploymentRunsTheTimerTheOthersDisableItAndEachHasItsOwnHostId()
    {
        Assert.Contains("\"" + DeploymentSettings.TimerFunction + "\"", AppSources(), StringComparison.Ordinal);
        var settings = ConfigMapData("sids-ml-settings");
        Assert.False(settings.ContainsKey("AzureFunctionsWebHost__hostid"), "the host id is per deployment, not shared");
        Assert.Contains(SettingNames.TimeEstimateSchedule, settings.Select(p => p.Key));

        var runningTheTimer = new List<string>();
        var hostIds = new List<string>();
        foreach (var deployment in Deployments)
        {
            var env = Env(deployment);
            var disabling = env.Where(e => DeploymentSettings.DisabledFunction(e.Key) is not null).ToArray();
            Assert.All(disabling, e => Assert.Equal(DeploymentSettings.TimerFunction, DeploymentSettings.DisabledFunction(e.Key)));
            // A valid environment variable name (the dotted form is not one).
            Assert.All(disabling, e => Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", e.Key));
            if (!disabling.Any(e => e.Value == "true"))
            {
                runningTheTimer.Add(deployment.Name);
            }
            // The host's timer lock is a blob lease named by host id: one id for the pods of a deployment,
            // so that its replicas fire the timer once, not once each (without it each pod derives its own
            // from its machine name). Host ids: at most 32 lowercase letters, digits and dashes.
            var hostId = env["AzureFunctionsWebHost__hostid"];
            Assert.Matches("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", hostId);
            hostIds.Add(hostId);
            Assert.Contains(deployment.Containers().Single()["env"].Objects(), e => e.Text("name") == SettingNames.Storage && e["valueFrom"]?["secretKeyRef"] is not null);
        }
        Assert.Equal(["sids-ml"], runningTheTimer);
        Assert.Equal(hostIds.Count, hostIds.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ProbesAndServicesUseTheContainerPortTheDockerfileExposes()
    {
        var exposed = DeploymentFiles.DockerfileExposedPort();
        foreach (var deployment in Deployments)
        {
            var container = deployment.Containers().Single();
            var port = container["ports"].Objects().Single();
            Assert.Equal(exposed.ToString(CultureInfo.InvariantCulture), port.Text("containerPort"));
            foreach (var (probe, httpGet) in Probes(container))
            {
                Assert.True(httpGet.Text("port") == port.Text("name") || httpGet.Text("port") == port.Text("containerPort"),
                    $"{deployment.Name} {probe} asks port {httpGet.Text("port")}");
            }

            // The service whose selector picks this deployment's pods targets that port.
            var podLabels = deployment.Node["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            var service = Documents.OfKind("Service").Single(s => s.Node["spec"]!["selector"]!.AsObject()
                .All(l => podLabels[l.Key]?.GetValue<string>() == l.Value!.GetValue<string>()));
            var target = service.Node["spec"]!["ports"].Objects().Single().Text("targetPort");
            Assert.True(target == port.Text("name") || target == port.Text("containerPort"), $"{service.Name} targets {target}");
        }
    }

    [Fact]
    public void TheIngressSendsTwoLevelImputationToItsOwnPodsAndTheRestToTheDeploymentOfAllModels()
    {
        var ingress = Documents.OfKind("Ingress").Single();
        var paths = ingress.Node["spec"]!["rules"].Objects().Single()["http"]!["paths"].Objects().ToArray();
        string ModelsBehind(string path)
        {
            var backend = paths.Single(p => p.Text("path") == path)["backend"]!["service"]!;
            var service = Documents.OfKind("Service").Single(s => s.Name == backend.Text("name"));
            Assert.Equal(service.Node["spec"]!["ports"].Objects().Single().Text("port"), backend["port"]!.Text("number"));
            var selector = service.Node["spec"]!["selector"]!.AsObject();
            var deployment = Deployments.Single(d => selector.All(l =>
                d.Node["spec"]!["template"]!["metadata"]!["labels"]![l.Key]?.GetValue<string>() == l.Value!.GetValue<string>()));
            return ModelService(deployment);
        }

        Assert.Equal(ModelSelection.TwoLevelImputation, ModelsBehind("/" + ModelSelection.TwoLevelImputation));
        Assert.Equal("", ModelsBehind("/"));
        Assert.All(paths, p => Assert.Equal("Prefix", p.Text("pathType")));
        Assert.NotEmpty(ingress.Node["spec"]!["tls"].Objects().Single().Text("secretName"));
    }

    [Fact]
    public void EveryEnvironmentNameIsASettingTheAppOrTheHostReads()
    {
        var names = new List<string>();
        foreach (var deployment in Deployments)
        {
            var container = deployment.Containers().Single();
            foreach (var env in container["env"].Objects())
            {
                names.Add(env.Text("name"));
                if (env["valueFrom"]?["secretKeyRef"] is { } reference)
                {
                    Assert.True(SecretData(reference.Text("name")).ContainsKey(reference.Text("key")),
                        $"{deployment.Name}: secret {reference.Text("name")} has no key {reference.Text("key")}");
                }
            }
            foreach (var source in container["envFrom"].Objects())
            {
                names.AddRange(ConfigMapData(source["configMapRef"]!.Text("name")).Select(p => p.Key));
            }
        }
        names.AddRange(SecretData("sids-ml-storage").Select(p => p.Key));

        Assert.Contains(SettingNames.DatasetPath, names);
        Assert.Contains(SettingNames.Storage, names);
        Assert.Contains(SettingNames.TimeEstimateSchedule, names);
        Assert.All(names, n => Assert.True(DeploymentSettings.IsKnown(n), $"{n} is neither in SettingNames.All nor a Functions platform setting"));
    }

    [Fact]
    public void ModelServiceNamesKnownModelsAndEveryModelIsServed()
    {
        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployment in Deployments)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection([KeyValuePair.Create<string, string?>(SettingNames.ModelService, ModelService(deployment))]).Build();
            served.UnionWith(ModelSelection.FromConfiguration(configuration).Enabled);
        }
        Assert.Equal(ModelSelection.All.Order(StringComparer.Ordinal), served.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void KedaScalesEachDeploymentOnCpuFromOneToSixReplicas()
    {
        var scaled = Documents.OfKind("ScaledObject").ToArray();
        Assert.Equal(Deployments.Select(d => d.Name).Order(StringComparer.Ordinal),
            scaled.Select(s => s.Node["spec"]!["scaleTargetRef"]!.Text("name")).Order(StringComparer.Ordinal));
        foreach (var scaledObject in scaled)
        {
            var spec = scaledObject.Node["spec"]!;
            Assert.Equal("1", spec.Text("minReplicaCount"));
            Assert.Equal("6", spec.Text("maxReplicaCount"));
            Assert.Equal("cpu", spec["triggers"].Objects().Single().Text("type"));
            // The CPU scaler computes utilisation against the containers' CPU requests.
            var target = Deployments.Single(d => d.Name == spec["scaleTargetRef"]!.Text("name"));
            Assert.All(target.Containers(), c => Assert.NotNull(c["resources"]?["requests"]?["cpu"]));
        }
    }

    [Fact]
    public void TheDatasetsContainerIsMountedReadOnlyWhereDatasetPathPoints()
    {
        var volume = Documents.OfKind("PersistentVolume").Single();
        var csi = volume.Node["spec"]!["csi"]!;
        Assert.Equal("blob.csi.azure.com", csi.Text("driver"));
        Assert.Equal("datasets", csi["volumeAttributes"]!.Text("containerName"));
        var secretRef = csi["nodeStageSecretRef"]!;
        Assert.Contains("azurestorageaccountkey", SecretData(secretRef.Text("name")).Select(p => p.Key));

        var claim = Documents.OfKind("PersistentVolumeClaim").Single();
        Assert.Equal(volume.Name, claim.Node["spec"]!.Text("volumeName"));
        var datasetPath = ConfigMapData("sids-ml-settings").Text(SettingNames.DatasetPath);
        foreach (var deployment in Deployments)
        {
            var podSpec = deployment.Node["spec"]!["template"]!["spec"]!;
            var podVolume = podSpec["volumes"].Objects().Single(v => v["persistentVolumeClaim"]?.TextOrNull("claimName") == claim.Name);
            var mount = deployment.Containers().Single()["volumeMounts"].Objects().Single(m => m.Text("name") == podVolume.Text("name"));
            Assert.Equal(datasetPath, mount.Text("mountPath"));
            Assert.Equal("true", mount.Text("readOnly"));
        }
    }
}
