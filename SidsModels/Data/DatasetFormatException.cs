namespace SidsModels.Data;

/// <summary>A dataset file that cannot be read: names the file and, where it applies, the line (1-based, header = 1).</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string file, long? line, string problem)
        : base(line is null ? $"{file}: {problem}" : $"{file} line {line}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public string File { get; }

    public long? Line { get; }

    public string Problem { get; }
}
