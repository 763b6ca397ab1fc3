using SidsFunctions.LocalHost;

namespace SidsFunctions.Tests.LocalHost;

public sealed class HostArgumentsTests
{
    [Fact]
    public void ScriptRootAndDefaults()
    {
        var a = HostArguments.Parse(["--script-root", "app"], out var error);
        Assert.Null(error);
        Assert.Equal(Path.GetFullPath("app"), a!.ScriptRoot);
        Assert.Equal(7071, a.Port);
        Assert.Equal(TimeSpan.FromSeconds(60), a.StartupTimeout);
        Assert.Empty(a.Ignored);
    }

    [Theory]
    [InlineData(new[] { "--script-root", "app", "--port", "7311" }, 7311)]
    [InlineData(new[] { "--port=7312", "--script-root=app" }, 7312)]
    [InlineData(new[] { "--script-root", "app", "-p", "7313" }, 7313)]
    [InlineData(new[] { "--script-root", "app", "--port", "0" }, 0)]
    public void PortInBothForms(string[] args, int port)
    {
        var a = HostArguments.Parse(args, out var error);
        Assert.Null(error);
        Assert.Equal(port, a!.Port);
    }

    [Theory]
    [InlineData(new[] { "--port", "7311" }, "--script-root is required")]
    [InlineData(new[] { "--script-root" }, "--script-root needs a value")]
    [InlineData(new[] { "--script-root", "app", "--port", "70000" }, "--port must be")]
    [InlineData(new[] { "--script-root", "app", "--port=-1" }, "--port must be")]
    [InlineData(new[] { "--script-root", "app", "--port", "x" }, "--port must be")]
    [InlineData(new[] { "--script-root", "app", "--startup-timeout", "0" }, "--startup-timeout must be")]
    public void BadArgumentsSayWhatIsWrong(string[] args, string message)
    {
        Assert.Null(HostArguments.Parse(args, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void UnknownArgumentsAreKeptToReportNotFatal()
    {
        var a = HostArguments.Parse(["--script-root", "app", "--cors", "*", "--verbose", "--startup-timeout", "2.5"], out var error);
        Assert.Null(error);
        Assert.Equal(["--cors", "*", "--verbose"], a!.Ignored);
        Assert.Equal(TimeSpan.FromSeconds(2.5), a.StartupTimeout);
    }
}
