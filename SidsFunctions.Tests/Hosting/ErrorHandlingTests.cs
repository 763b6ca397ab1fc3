using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SidsFunctions.Hosting.Errors;
using SidsModels.Common;

namespace SidsFunctions.Tests.Hosting;

/// <summary>
/// The one error mapping: a model's refusal is a 422 naming the field; an exception nothing expected (the tree
/// builder's ArgumentException that manual_predictors [] once reached) is logged with its stack and answered as a
/// JSON error without one.
/// </summary>
public sealed class ErrorHandlingTests
{
    private sealed class Captured : ILogger<ErrorHandlingMiddleware>
    {
        public List<(LogLevel Level, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, exception));
    }

    private static async Task<(int Status, string Body, Captured Log)> RunAsync(Exception thrown, string method = "POST")
    {
        var log = new Captured();
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = "/twolvlImp/predict";
        context.Response.Body = new MemoryStream();
        await new ErrorHandlingMiddleware(log).AnswerFailureAsync(context, thrown);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), log);
    }

    [Fact]
    public async Task AnUnexpectedExceptionIsLoggedWithItsStackAndAnsweredWithoutIt()
    {
        Exception thrown;
        try
        {
            throw new ArgumentException("A tree needs at least one feature");
        }
        catch (ArgumentException e)
        {
            thrown = e;
        }
        var (status, body, log) = await RunAsync(thrown);
        Assert.Equal(500, status);
        Assert.Equal("""{"detail":"Internal Server Error"}""", body);
        var (level, logged) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, level);
        Assert.Same(thrown, logged);
        Assert.NotNull(logged!.StackTrace);
    }

    [Theory]
    [InlineData("POST", "body")]
    [InlineData("GET", "query")]
    public async Task AModelsRefusalIsA422NamingTheField(string method, string location)
    {
        var (status, body, _) = await RunAsync(new InvalidInputException("manual_predictors is empty", "manual_predictors"), method);
        Assert.Equal(422, status);
        Assert.Equal("""{"detail":{"msg":"manual_predictors is empty","type":"value_error","loc":[""" + $"\"{location}\"" + ""","manual_predictors"]}}""", body);
    }
}
