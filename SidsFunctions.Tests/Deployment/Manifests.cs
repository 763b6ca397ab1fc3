using System.Text.Json.Nodes;
using SidsFunctions.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// The deployment files read as JSON trees: YAML documents (every scalar as a string, as YAML 1.1
/// tools other than Kubernetes disagree on the rest) and the Kubernetes manifests of infra/k8s.
/// </summary>
public static class Manifests
{
    public static string K8sFolder => Repository.PathOf("infra", "k8s");

    public sealed record Document(string File, JsonObject Node)
    {
        public string Kind => Node.Text("kind");

        /// <summary>metadata.name; empty for a document without metadata (kustomization.yaml).</summary>
        public string Name => Node["metadata"].TextOrNull("name") ?? "";
    }

    /// <summary>Every document of every .yaml file in infra/k8s.</summary>
    public static IReadOnlyList<Document> Kubernetes() =>
        Directory.EnumerateFiles(K8sFolder, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => ReadYaml(f).Select(d => new Document(Path.GetFileName(f), d.AsObject())))
            .ToArray();

    public static IEnumerable<Document> OfKind(this IEnumerable<Document> documents, string kind) =>
        documents.Where(d => d.Kind == kind);

    /// <summary>The documents of a YAML file (empty documents skipped).</summary>
    public static IReadOnlyList<JsonNode> ReadYaml(string path)
    {
        using var reader = new StreamReader(path);
        var parser = new Parser(reader);
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<JsonNode>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToJson(deserializer.Deserialize<object?>(parser)) is { } node)
            {
                documents.Add(node);
            }
        }
        return documents;
    }

    public static string Text(this JsonNode node, string property) =>
        node[property]?.GetValue<string>() ?? throw new InvalidOperationException($"no '{property}' in {node.ToJsonString()}");

    public static string? TextOrNull(this JsonNode? node, string property) => node?[property]?.GetValue<string>();

    public static IEnumerable<JsonObject> Objects(this JsonNode? array) =>
        array?.AsArray().Select(n => n!.AsObject()) ?? [];

    /// <summary>The pod template's containers of a Deployment.</summary>
    public static IEnumerable<JsonObject> Containers(this Document deployment) =>
        deployment.Node["spec"]!["template"]!["spec"]!["containers"].Objects();

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create((string)p.Key, ToJson(p.Value)))),
        IList<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        string text => JsonValue.Create(text),
        _ => throw new InvalidOperationException($"unexpected YAML value {value.GetType()}"),
    };
}
