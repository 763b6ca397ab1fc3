using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SidsFunctions.Tests.Infrastructure;

namespace SidsFunctions.Tests.Deployment;

/// <summary>
/// Just enough reading of the Dockerfile and of Bicep to check them here, where neither Docker nor the
/// Bicep compiler runs: Dockerfile instructions, and Bicep's parameters, modules and object keys.
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

    /// <summary>The image of the last stage, with the ARG default it names resolved.</summary>
    public static string DockerFinalImage()
    {
        var instructions = DockerInstructions();
        var from = instructions.Last(i => i.Keyword == "FROM").Arguments.Split(' ')[0];
        var argument = ArgumentReference().Match(from);
        if (!argument.Success)
        {
            return from;
        }
        var declaration = instructions.First(i => i.Keyword == "ARG" && i.Arguments.StartsWith(argument.Groups[1].Value + "=", StringComparison.Ordinal));
        return declaration.Arguments[(argument.Groups[1].Value.Length + 1)..];
    }

    /// <summary>The ENV name/value pairs of the last stage.</summary>
    public static IReadOnlyDictionary<string, string> DockerFinalEnvironment()
    {
        var instructions = DockerInstructions();
        var lastFrom = instructions.Select((i, n) => (i, n)).Last(p => p.i.Keyword == "FROM").n;
        return instructions.Skip(lastFrom).Where(i => i.Keyword == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    public static int DockerfileExposedPort() =>
        int.Parse(DockerInstructions().Single(i => i.Keyword == "EXPOSE").Arguments, NumberStyles.None, CultureInfo.InvariantCulture);

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
                var file = Text.Substring(m.Groups[2].Index, m.Groups[2].Length);
                var body = Code.IndexOf('{', m.Index + m.Length - 1);
                var paramsAt = Regex.Match(Code[body..BlockEnd(body)], @"\n\s*params:\s*\{");
                IReadOnlyList<string> passed = paramsAt.Success ? TopLevelKeys(body + paramsAt.Index + paramsAt.Length - 1) : [];
                return (m.Groups[1].Value, file, passed);
            }).ToArray();

        /// <summary>The keys of the object literal assigned by <c>var name = {</c>.</summary>
        public IReadOnlyList<string> VariableObjectKeys(string name)
        {
            var match = Regex.Match(Code, $@"\bvar {name} = \{{");
            return match.Success ? TopLevelKeys(match.Index + match.Length - 1) : throw new InvalidOperationException($"no var {name} in {Path}");
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

        // Keys of the object literal opening at `open`: identifiers followed by ':' at its first level,
        // at the start of a line (one property a line, as Bicep writes multi-line objects).
        private IReadOnlyList<string> TopLevelKeys(int open)
        {
            var end = BlockEnd(open);
            var keys = new List<string>();
            var depth = 0;
            var lineStart = true;
            for (var i = open; i <= end; i++)
            {
                var c = Code[i];
                if (depth == 1 && lineStart && !char.IsWhiteSpace(c))
                {
                    var key = PropertyKey().Match(Code, i);
                    if (key.Success && key.Index == i)
                    {
                        keys.Add(key.Groups[1].Value);
                    }
                    lineStart = false;
                }
                depth += c switch { '{' or '[' or '(' => 1, '}' or ']' or ')' => -1, _ => 0 };
                if (c == '\n')
                {
                    lineStart = true;
                }
            }
            return keys;
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

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*:")]
    private static partial Regex PropertyKey();
}
