using System;

namespace RootMail.Registry
{
    /// <summary>
    /// A conditional write lost a race or met an existing row: 409 (the key exists), 412 (the ETag changed) or
    /// 404 (the row is gone). Operations catch it and retry or report; it never reaches the user.
    /// </summary>
    internal sealed class RegistryConflictException : Exception
    {
        public RegistryConflictException(int status, int? failedIndex, Exception inner) : base($"Registry conflict {status} at action {failedIndex}.", inner)
        {
            Status = status;
            FailedIndex = failedIndex;
        }

        public int Status { get; }
        /// <summary>In a transaction, the index of the action that failed, when the service says.</summary>
        public int? FailedIndex { get; }
        public bool KeyExists => Status == 409;
    }
}
