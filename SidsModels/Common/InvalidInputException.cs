namespace SidsModels.Common;

/// <summary>
/// The one error a model raises for input it cannot serve: an unknown target, a dataset that does not
/// exist, a survey question holding text where numbers are expected. The HTTP layer maps it to a 4xx
/// answer; the message is written for the user and names the field and what is allowed.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string message, string? field = null, InputErrorKind kind = InputErrorKind.Invalid)
        : base(message)
    {
        Field = field;
        Kind = kind;
    }

    /// <summary>The request field at fault, when one is; null for errors about the request as a whole.</summary>
    public string? Field { get; }

    public InputErrorKind Kind { get; }
}

public enum InputErrorKind
{
    /// <summary>The value is not allowed (422).</summary>
    Invalid,

    /// <summary>The input is larger than the service accepts (413).</summary>
    TooLarge,

    /// <summary>The data the request needs is not available on this deployment (503).</summary>
    Unavailable,
}
