namespace SidsFunctions.LocalHost;

/// <summary>The command line: <c>--script-root DIR [--port N] [--startup-timeout SECONDS]</c>.</summary>
/// <param name="ScriptRoot">The function app folder (build or publish output of the worker).</param>
/// <param name="Port">The HTTP port; 0 picks a free one (the ready line names it).</param>
/// <param name="StartupTimeout">How long the worker may take to connect and initialise.</param>
/// <param name="Ignored">Arguments this host does not know; reported, not fatal (as `func start` passes many).</param>
internal sealed record HostArguments(string ScriptRoot, int Port, TimeSpan StartupTimeout, IReadOnlyList<string> Ignored)
{
    public const int DefaultPort = 7071;
    public static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromSeconds(60);

    public const string Usage =
        "usage: SidsFunctions.LocalHost --script-root <function app folder> [--port N] [--startup-timeout SECONDS]";

    /// <summary>Parses the arguments; <paramref name="error"/> says what is wrong when it returns null.</summary>
    public static HostArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        string? scriptRoot = null;
        int port = DefaultPort;
        var timeout = DefaultStartupTimeout;
        var ignored = new List<string>();
        error = null;

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? value = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }

            switch (name.ToLowerInvariant())
            {
                case "--script-root":
                    if (!TakeValue(args, ref i, name, ref value, out error)) return null;
                    scriptRoot = value;
                    break;
                case "--port":
                case "-p":
                    if (!TakeValue(args, ref i, name, ref value, out error)) return null;
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port > 65535)
                    {
                        error = $"--port must be a whole number from 0 to 65535 (0 picks a free port), not '{value}'.";
                        return null;
                    }
                    break;
                case "--startup-timeout":
                    if (!TakeValue(args, ref i, name, ref value, out error)) return null;
                    if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0) || seconds > 3600)
                    {
                        error = $"--startup-timeout must be a number of seconds above 0 and at most 3600, not '{value}'.";
                        return null;
                    }
                    timeout = TimeSpan.FromSeconds(seconds);
                    break;
                default:
                    ignored.Add(arg);
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(scriptRoot))
        {
            error = "--script-root is required: the folder holding host.json, worker.config.json and the worker.";
            return null;
        }
        return new HostArguments(Path.GetFullPath(scriptRoot), port, timeout, ignored);
    }

    private static bool TakeValue(IReadOnlyList<string> args, ref int i, string name, ref string? value, out string? error)
    {
        error = null;
        if (value is not null) return true;
        if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            value = args[++i];
            return true;
        }
        error = $"{name} needs a value.";
        return false;
    }
}
