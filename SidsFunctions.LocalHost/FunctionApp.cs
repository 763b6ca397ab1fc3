using System.Text.Json;
using System.Text.Json.Nodes;

namespace SidsFunctions.LocalHost;

/// <summary>How worker.config.json says to start the worker.</summary>
/// <param name="Executable">The program (e.g. <c>dotnet</c>, or an apphost path).</param>
/// <param name="Arguments">Arguments before the worker path.</param>
/// <param name="WorkerPath">The worker assembly, absolute (empty when the executable is the worker itself).</param>
internal sealed record WorkerLaunch(string Executable, IReadOnlyList<string> Arguments, string WorkerPath);

/// <summary>The function app folder: host.json, worker.config.json, functions.metadata.</summary>
internal static class FunctionApp
{
    public const string DefaultRoutePrefix = "api";

    /// <summary>host.json <c>extensions.http.routePrefix</c>; "api" when unset, as the Functions host.</summary>
    public static string ReadRoutePrefix(string scriptRoot)
    {
        string file = Path.Combine(scriptRoot, "host.json");
        if (!File.Exists(file)) throw new HostStartupException($"{file} not found: --script-root must be the function app folder (the worker's build or publish output).");
        JsonNode? root = ParseJson(file);
        return root?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>()?.Trim('/') ?? DefaultRoutePrefix;
    }

    /// <summary>Reads worker.config.json's <c>description</c>.</summary>
    public static WorkerLaunch ReadWorkerLaunch(string scriptRoot)
    {
        string file = Path.Combine(scriptRoot, "worker.config.json");
        if (!File.Exists(file)) throw new HostStartupException($"{file} not found: the script root is not an isolated-worker app's output.");
        JsonNode? description = ParseJson(file)?["description"];
        string? executable = description?["defaultExecutablePath"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(executable)) throw new HostStartupException($"{file}: description.defaultExecutablePath is missing.");
        string workerPath = description?["defaultWorkerPath"]?.GetValue<string>() ?? "";
        var arguments = description?["arguments"] is JsonArray a
            ? a.Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList()
            : [];

        // Relative paths are relative to the script root; a bare name ("dotnet") is looked up on PATH.
        if (executable.Contains('/') || executable.Contains('\\')) executable = Path.GetFullPath(Path.Combine(scriptRoot, executable));
        if (workerPath.Length > 0) workerPath = Path.GetFullPath(Path.Combine(scriptRoot, workerPath));
        if (workerPath.Length > 0 && !File.Exists(workerPath)) throw new HostStartupException($"{file}: the worker {workerPath} does not exist (build the app first).");
        return new WorkerLaunch(executable, arguments, workerPath);
    }

    /// <summary>functions.metadata as RPC metadata, for a worker that asks the host to index the app.</summary>
    public static List<Rpc.RpcFunctionMetadata> ReadFunctionsMetadata(string scriptRoot)
    {
        string file = Path.Combine(scriptRoot, "functions.metadata");
        if (!File.Exists(file)) throw new HostStartupException($"The worker asked the host to index the app, but {file} does not exist.");
        var list = new List<Rpc.RpcFunctionMetadata>();
        if (ParseJson(file) is not JsonArray functions) throw new HostStartupException($"{file} is not a JSON array of functions.");
        foreach (var f in functions.OfType<JsonObject>())
        {
            var m = new Rpc.RpcFunctionMetadata
            {
                Name = f["name"]?.GetValue<string>() ?? "",
                ScriptFile = f["scriptFile"]?.GetValue<string>() ?? "",
                EntryPoint = f["entryPoint"]?.GetValue<string>() ?? "",
                Language = f["language"]?.GetValue<string>() ?? "dotnet-isolated",
                Directory = scriptRoot,
                FunctionId = Guid.NewGuid().ToString(),
            };
            if (f["bindings"] is JsonArray bindings)
            {
                foreach (var b in bindings.OfType<JsonObject>())
                {
                    m.RawBindings.Add(b.ToJsonString());
                    string name = b["name"]?.GetValue<string>() ?? "";
                    string direction = b["direction"]?.GetValue<string>() ?? "in";
                    m.Bindings[name] = new Rpc.BindingInfo
                    {
                        Type = b["type"]?.GetValue<string>() ?? "",
                        Direction = direction.ToLowerInvariant() switch
                        {
                            "out" => Rpc.BindingInfo.Types.Direction.Out,
                            "inout" => Rpc.BindingInfo.Types.Direction.Inout,
                            _ => Rpc.BindingInfo.Types.Direction.In,
                        },
                    };
                }
            }
            list.Add(m);
        }
        return list;
    }

    private static JsonNode? ParseJson(string file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new HostStartupException($"{file} is not valid JSON: {ex.Message}");
        }
    }
}

/// <summary>What kind of trigger a function has.</summary>
internal enum TriggerKind { Http, Timer, Other }

/// <summary>A loaded function as the host routes and schedules it, read from its raw bindings.</summary>
/// <param name="Name">The function name (<c>[Function("...")]</c>).</param>
/// <param name="FunctionId">The id the worker knows it by.</param>
/// <param name="TriggerName">The trigger binding's parameter name (the invocation's input name).</param>
/// <param name="TriggerType">The trigger binding type, e.g. httpTrigger.</param>
/// <param name="Route">The httpTrigger route without prefix (the function name when unset).</param>
/// <param name="Methods">Allowed methods in upper case; empty = any.</param>
/// <param name="Schedule">The timerTrigger schedule as written (may hold %SETTING%).</param>
/// <param name="RunOnStartup">timerTrigger runOnStartup.</param>
internal sealed record FunctionDescription(
    string Name, string FunctionId, TriggerKind Kind, string TriggerName, string TriggerType,
    string? Route, IReadOnlyList<string> Methods, string? Schedule, bool RunOnStartup)
{
    /// <summary>Reads the trigger from the raw bindings (JSON objects as in functions.metadata).</summary>
    public static FunctionDescription FromMetadata(string name, string functionId, IEnumerable<string> rawBindings)
    {
        foreach (string raw in rawBindings)
        {
            if (JsonNode.Parse(raw) is not JsonObject b) continue;
            string type = Str(b, "type") ?? "";
            if (!type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase)) continue;
            string triggerName = Str(b, "name") ?? "";
            if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                var methods = Prop(b, "methods") is JsonArray m
                    ? m.Select(x => x?.GetValue<string>().ToUpperInvariant() ?? "").Where(x => x.Length > 0).Distinct().ToList()
                    : [];
                string route = Str(b, "route") ?? name;
                return new(name, functionId, TriggerKind.Http, triggerName, type, route.Trim('/'), methods, null, false);
            }
            if (type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
            {
                bool runOnStartup = Prop(b, "runOnStartup") is JsonValue v && v.TryGetValue(out bool r) && r;
                return new(name, functionId, TriggerKind.Timer, triggerName, type, null, [], Str(b, "schedule"), runOnStartup);
            }
            return new(name, functionId, TriggerKind.Other, triggerName, type, null, [], null, false);
        }
        return new(name, functionId, TriggerKind.Other, "", "", null, [], null, false);
    }

    // Binding property names are case-insensitive in function.json / functions.metadata.
    private static JsonNode? Prop(JsonObject o, string name) =>
        o.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? Str(JsonObject o, string name) =>
        Prop(o, name) is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
