using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// Just enough reading of the Dockerfile, .dockerignore and Bicep to check them here, where neither
/// Docker nor the Bicep compiler runs: Dockerfile instructions by stage, ignore patterns, and Bicep's
/// parameters, modules, resources and object literals.
/// </summary>
public static partial class DeploymentFiles
{
    public static string Dockerfile => File.ReadAllText(Repository.PathOf("Dockerfile"));

    /// <summary>Dockerfile instructions (continuation lines joined, comments dropped): keyword and arguments.</summary>
    public static IReadOnlyList<(string Keyword, string Arguments)> DockerInstructions()
    {
        var instructions = new List<(string, string)>();
        var current = new StringBuilder();
        foreach (var raw in Dockerfile.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (current.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1]).Append(' ');
                continue;
            }
            current.Append(line);
            var text = current.ToString().Trim();
            current.Clear();
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add((text[..space].ToUpperInvariant(), text[(space + 1)..].Trim()));
        }
        return instructions;
    }

    /// <summary>The stages: the FROM image, the stage name (empty for an unnamed stage) and the instructions after FROM.</summary>
    public static IReadOnlyList<(string Image, string Name, IReadOnlyList<(string Keyword, string Arguments)> Instructions)> DockerStages()
    {
        var stages = new List<(string, string, IReadOnlyList<(string, string)>)>();
        List<(string, string)>? current = null;
        foreach (var instruction in DockerInstructions())
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                current = [];
                stages.Add((words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : "", current));
            }
            else
            {
                current?.Add(instruction);
            }
        }
        return stages;
    }

    /// <summary>The ENV name/value pairs of the last stage.</summary>
    public static IReadOnlyDictionary<string, string> DockerFinalEnvironment() =>
        DockerStages()[^1].Instructions.Where(i => i.Keyword == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    public static int DockerfileExposedPort() =>
        int.Parse(DockerInstructions().Single(i => i.Keyword == "EXPOSE").Arguments, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether .dockerignore keeps <paramref name="path"/> (relative, '/'-separated) out of the build
    /// context. Enough of Docker's rules for this file: a pattern matches a path or a folder above it,
    /// <c>**/</c> matches any folders, <c>*</c> any characters but '/', and a trailing '/' is dropped.
    /// </summary>
    public static bool DockerIgnores(string path)
    {
        var patterns = File.ReadAllLines(Repository.PathOf(".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.DoesNotContain(patterns, p => p.StartsWith('!'));
        var segments = path.Split('/');
        var prefixes = Enumerable.Range(1, segments.Length).Select(n => string.Join('/', segments.Take(n)));
        return patterns.Any(pattern =>
        {
            var expression = "^" + Regex.Escape(pattern.TrimEnd('/')).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
                .Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
            return prefixes.Any(p => Regex.IsMatch(p, expression));
        });
    }

    /// <summary>A Bicep file read for structure: comments removed, and string contents blanked (quotes kept).</summary>
    public sealed class Bicep
    {
        public Bicep(string path)
        {
            Path = path;
            Text = File.ReadAllText(path);
            Code = Blank(Text);
        }

        public string Path { get; }

        /// <summary>The file as written.</summary>
        public string Text { get; }

        /// <summary>The same length as <see cref="Text"/>: comments and string contents replaced by spaces.</summary>
        public string Code { get; }

        /// <summary>Parameters: name, whether it has a default, whether a @description decorates it.</summary>
        public IReadOnlyList<(string Name, bool HasDefault, bool Described)> Parameters()
        {
            var lines = Code.Split('\n');
            var parameters = new List<(string, bool, bool)>();
            for (var i = 0; i < lines.Length; i++)
            {
                var match = ParameterLine().Match(lines[i]);
                if (!match.Success)
                {
                    continue;
                }
                var described = false;
                for (var j = i - 1; j >= 0 && (lines[j].TrimStart().StartsWith('@') || lines[j].TrimStart().StartsWith(')') || lines[j].TrimStart().StartsWith(']') || lines[j].StartsWith(' ') || lines[j].StartsWith('}')); j--)
                {
                    described |= lines[j].TrimStart().StartsWith("@description(", StringComparison.Ordinal);
                }
                parameters.Add((match.Groups[1].Value, match.Groups[2].Success, described));
            }
            return parameters;
        }

        public IReadOnlyList<string> Outputs() => OutputLine().Matches(Code).Select(m => m.Groups[1].Value).ToArray();

        /// <summary>Modules: the file they load (relative to this one) and the parameters passed.</summary>
        public IReadOnlyList<(string Name, string File, IReadOnlyList<string> Parameters)> Modules() =>
            ModuleLine().Matches(Code).Select(m =>
            {
                var body = ReadObject(m.Index + m.Length - 1);
                return (m.Groups[1].Value, Text.Substring(m.Groups[2].Index, m.Groups[2].Length), body.Has("params") ? body["params"].Keys : (IReadOnlyList<string>)[]);
            }).ToArray();

        /// <summary>The body of <c>module name '...' = {</c>: name, scope, dependsOn, params.</summary>
        public BicepObject ModuleBody(string name)
        {
            var match = ModuleLine().Matches(Code).SingleOrDefault(m => m.Groups[1].Value == name);
            return match is not null ? ReadObject(match.Index + match.Length - 1) : throw new InvalidOperationException($"no module {name} in {Path}");
        }

        /// <summary>The object literal assigned by <c>var name = {</c>.</summary>
        public BicepObject VariableObject(string name)
        {
            var match = Regex.Match(Code, $@"(?m)^var {name} = \{{");
            return match.Success ? ReadObject(match.Index + match.Length - 1) : throw new InvalidOperationException($"no var {name} in {Path}");
        }

        /// <summary>The bodies of the resources declared with this type (any API version), existing ones left out.</summary>
        public IReadOnlyList<BicepObject> Resources(string type) =>
            ResourceLine().Matches(Code)
                .Where(m => Text.Substring(m.Groups[2].Index, m.Groups[2].Length).Split('@')[0] == type && !m.Groups[3].Success)
                .Select(m => ReadObject(m.Index + m.Length - 1))
                .ToArray();

        public BicepObject Resource(string type) => Resources(type) switch
        {
            [var single] => single,
            var found => throw new InvalidOperationException($"{found.Count} resources of type {type} in {Path}"),
        };

        // An object literal: one property a line (as Bicep writes multi-line objects); a value is an
        // object literal, or the source text up to the end of its line or of the brackets it opens there.
        private BicepObject ReadObject(int open)
        {
            var end = BlockEnd(open);
            var properties = new List<(string, object)>();
            var i = open + 1;
            while (i < end)
            {
                var lineEnd = Code.IndexOf('\n', i);
                lineEnd = lineEnd < 0 || lineEnd > end ? end : lineEnd;
                var key = PropertyLine().Match(Code[i..lineEnd]);
                if (!key.Success)
                {
                    i = lineEnd + 1;
                    continue;
                }
                var name = Text.Substring(i + key.Groups[1].Index, key.Groups[1].Length).Trim('\'');
                var valueStart = i + key.Length;
                if (Code[valueStart] == '{')
                {
                    var close = BlockEnd(valueStart);
                    properties.Add((name, ReadObject(valueStart)));
                    i = Code.IndexOf('\n', close) is var next and >= 0 ? next + 1 : end;
                    continue;
                }
                var valueEnd = valueStart;
                var depth = 0;
                for (; valueEnd < end && (depth > 0 || Code[valueEnd] != '\n'); valueEnd++)
                {
                    depth += Code[valueEnd] switch { '{' or '[' or '(' => 1, '}' or ']' or ')' => -1, _ => 0 };
                }
                properties.Add((name, Text[valueStart..valueEnd].Trim()));
                i = valueEnd + 1;
            }
            return new BicepObject(properties);
        }

        /// <summary>Null when every bracket closes the one it should; else where it fails.</summary>
        public string? BracketError()
        {
            var open = new Stack<(char, int)>();
            for (var i = 0; i < Code.Length; i++)
            {
                var c = Code[i];
                if (c is '{' or '[' or '(')
                {
                    open.Push((c, i));
                }
                else if (c is '}' or ']' or ')')
                {
                    var expected = c switch { '}' => '{', ']' => '[', _ => '(' };
                    if (open.Count == 0 || open.Pop().Item1 != expected)
                    {
                        return $"unexpected '{c}' at line {Line(i)}";
                    }
                }
            }
            return open.Count == 0 ? null : $"'{open.Peek().Item1}' at line {Line(open.Peek().Item2)} is never closed";
        }

        private int Line(int index) => Code[..index].Count(c => c == '\n') + 1;

        private int BlockEnd(int open)
        {
            var depth = 0;
            for (var i = open; i < Code.Length; i++)
            {
                depth += Code[i] switch { '{' or '[' or '(' => 1, '}' or ']' or ')' => -1, _ => 0 };
                if (depth == 0)
                {
                    return i;
                }
            }
            throw new InvalidOperationException($"unclosed block at line {Line(open)} of {Path}");
        }

        // Bicep strings are single-quoted with backslash escapes and ${...} interpolation.
        private static string Blank(string text)
        {
            var code = text.ToCharArray();
            var i = 0;
            while (i < code.Length)
            {
                if (code[i] == '/' && i + 1 < code.Length && code[i + 1] == '/')
                {
                    for (; i < code.Length && code[i] != '\n'; i++)
                    {
                        code[i] = ' ';
                    }
                }
                else if (code[i] == '/' && i + 1 < code.Length && code[i + 1] == '*')
                {
                    var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    var end = close < 0 ? code.Length : close + 2;
                    for (; i < end; i++)
                    {
                        code[i] = code[i] == '\n' ? '\n' : ' ';
                    }
                }
                else if (code[i] == '\'')
                {
                    i++;
                    var interpolation = 0;
                    for (; i < code.Length && (interpolation > 0 || code[i] != '\''); i++)
                    {
                        if (interpolation == 0 && code[i] == '\\')
                        {
                            code[i++] = ' ';
                        }
                        else if (interpolation == 0 && code[i] == '$' && i + 1 < code.Length && code[i + 1] == '{')
                        {
                            interpolation = 1;
                            code[i++] = ' ';
                        }
                        else if (interpolation > 0 && code[i] == '{')
                        {
                            interpolation++;
                        }
                        else if (interpolation > 0 && code[i] == '}')
                        {
                            interpolation--;
                        }
                        code[i] = code[i] == '\n' ? '\n' : ' ';
                    }
                    i++;
                }
                else
                {
                    i++;
                }
            }
            return new string(code);
        }
    }

    [GeneratedRegex(@"^\$\{?(\w+)\}?$")]
    private static partial Regex ArgumentReference();

    [GeneratedRegex(@"^param (\w+) \w+( = .*)?\s*$")]
    private static partial Regex ParameterLine();

    [GeneratedRegex(@"(?m)^output (\w+) ")]
    private static partial Regex OutputLine();

    [GeneratedRegex(@"(?m)^module (\w+) '([^']*)' = (?:if \(.*\) )?\{")]
    private static partial Regex ModuleLine();

    [GeneratedRegex(@"(?m)^resource (\w+) '([^']*)' (existing )?= (?:if \(.*\) )?\{")]
    private static partial Regex ResourceLine();

    // A property at the start of a line: the key (an identifier or a quoted name) and its colon.
    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*|'[^']*')\s*:\s*")]
    private static partial Regex PropertyLine();
}

/// <summary>
/// A Bicep object literal: properties in source order, each an object or the value's source text
/// (<c>'FC1'</c>, <c>identityClientId</c>, <c>[ ... ]</c>).
/// </summary>
public sealed class BicepObject(IReadOnlyList<(string Key, object Value)> properties)
{
    public IReadOnlyList<string> Keys { get; } = properties.Select(p => p.Key).ToArray();

    public bool Has(string key) => properties.Any(p => p.Key == key);

    /// <summary>A nested object: <c>obj["properties"]["functionAppConfig"]</c>.</summary>
    public BicepObject this[string key] => Get(key) as BicepObject ?? throw new InvalidOperationException($"'{key}' is not an object");

    /// <summary>A value's source text.</summary>
    public string Value(string key) => Get(key) as string ?? throw new InvalidOperationException($"'{key}' is an object");

    /// <summary>A single-quoted string literal's content (no interpolation, no escapes).</summary>
    public string String(string key)
    {
        var value = Value(key);
        Assert.Matches(@"^'[^'\\$]*'$", value);
        return value[1..^1];
    }

    private object Get(string key) =>
        properties.SingleOrDefault(p => p.Key == key).Value ?? throw new KeyNotFoundException($"no '{key}' among {string.Join(", ", Keys)}");
}
