using System.Threading;

namespace RootMail
{
    /// <summary>
    /// What an operation may ask of whoever runs it: the cmdlet implements it with ShouldProcess, WriteVerbose,
    /// WriteWarning and WriteProgress; tests implement it plainly. Every method is called on the caller's thread.
    /// </summary>
    public interface IOperationHost
    {
        /// <summary>Asked right before each change; false means -WhatIf or a declined -Confirm: skip the change.</summary>
        bool ShouldProcess(string target, string action);
        void Verbose(string message);
        void Warning(string message);
        /// <summary>Progress of long work; percent -1 when unknown, completed true at the end.</summary>
        void Progress(string activity, string status, int percent, bool completed = false);
        CancellationToken Cancellation { get; }
    }
}
