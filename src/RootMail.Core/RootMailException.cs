using System;

namespace RootMail
{
    /// <summary>Kinds of failure; the names match PowerShell's ErrorCategory so the cmdlet layer maps them one to one.</summary>
    public enum ErrorKind
    {
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        LimitsExceeded,
        ConnectionError,
        InvalidOperation,
        PermissionDenied,
        OperationTimeout,
        NotInstalled,
        AuthenticationError,
    }

    /// <summary>
    /// A RootMail failure with a stable id (the ErrorRecord's FullyQualifiedErrorId starts with it) and a
    /// message that says what to do. Messages never contain secrets.
    /// </summary>
    public sealed class RootMailException : Exception
    {
        public RootMailException(string errorId, string message, ErrorKind kind, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId.StartsWith("RootMail.", StringComparison.Ordinal) ? errorId : "RootMail." + errorId;
            Kind = kind;
            Target = target;
        }

        /// <summary>For example RootMail.InvalidAccountId.</summary>
        public string ErrorId { get; }
        public ErrorKind Kind { get; }
        public object? Target { get; }
    }
}
