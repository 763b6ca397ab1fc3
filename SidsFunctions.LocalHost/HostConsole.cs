using System.Text;
using System.Threading.Channels;

namespace SidsFunctions.LocalHost;

/// <summary>
/// The host's console: lines are queued and written by one background task, so a request's log line never
/// waits on a slow terminal or pipe. Standard output carries the log; standard error carries errors.
/// </summary>
internal sealed class HostConsole : IAsyncDisposable
{
    private readonly Channel<(bool Error, string Line)> _lines =
        Channel.CreateUnbounded<(bool, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly Task _writer;

    public HostConsole(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        _out = stdout ?? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        _err = stderr ?? new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = false };
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Info(string line) => _lines.Writer.TryWrite((false, line));

    public void Error(string line) => _lines.Writer.TryWrite((true, line));

    /// <summary>A line with the host's timestamp, as `func start` prints them.</summary>
    public void Log(string line) => Info($"[{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}] {line}");

    public void LogError(string line) => Error($"[{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}] {line}");

    private async Task WriteLoopAsync()
    {
        var reader = _lines.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            bool wroteOut = false, wroteErr = false;
            while (reader.TryRead(out var item))
            {
                if (item.Error)
                {
                    _err.WriteLine(item.Line);
                    wroteErr = true;
                }
                else
                {
                    _out.WriteLine(item.Line);
                    wroteOut = true;
                }
            }
            try
            {
                if (wroteOut) await _out.FlushAsync().ConfigureAwait(false);
                if (wroteErr) await _err.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The reader of our output went away (a closed pipe); keep serving.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        try
        {
            await _out.FlushAsync().ConfigureAwait(false);
            await _err.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }
}
