namespace RootMail
{
    /// <summary>What Import-AwsRootRegistry did with one row of the source table.</summary>
    public enum ImportOutcome
    {
        /// <summary>Written to the registry by this run.</summary>
        Imported,
        /// <summary>The registry already had the alias as the row describes it (a second run reports every row so).</summary>
        AlreadyPresent,
        /// <summary>The row cannot be taken as it is (bad address, account ID, requester, in_use or mailbox); nothing was written. Reason says what to fix.</summary>
        Rejected,
        /// <summary>The row contradicts the registry or another row (the alias or AWS account is recorded differently); nothing was written. Reason says what to check.</summary>
        Conflict,
    }

    /// <summary>One row of a reference-design table as Import-AwsRootRegistry took it (or would take it).</summary>
    public sealed class AwsRootImportResult
    {
        public AwsRootImportResult(string address, ImportOutcome outcome, AliasStatus? status, string? accountId, string? requestedBy, string? mailbox,
            string pool, string? reason, string sourceRowKey)
        {
            Address = address;
            Outcome = outcome;
            Status = status;
            AccountId = accountId;
            RequestedBy = requestedBy;
            Mailbox = mailbox;
            Pool = pool;
            Reason = reason;
            SourceRowKey = sourceRowKey;
        }

        /// <summary>The alias (aws_mail), lowercased when valid, as the source has it otherwise.</summary>
        public string Address { get; }
        public ImportOutcome Outcome { get; }
        /// <summary>Imported: the status it got. AlreadyPresent and Conflict: its status in the registry, unchanged. Rejected: none.</summary>
        public AliasStatus? Status { get; }
        /// <summary>The AWS account ID (aws_account_id), as the source has it when it was rejected.</summary>
        public string? AccountId { get; }
        /// <summary>The requester (user_mail) of an alias in use.</summary>
        public string? RequestedBy { get; }
        /// <summary>The primary SMTP address of the pool mailbox that carries the alias, or root_mailbox as the source has it when it could not be resolved.</summary>
        public string? Mailbox { get; }
        public string Pool { get; }
        /// <summary>Why the row was rejected or conflicts, and what to do; a note on some imported rows.</summary>
        public string? Reason { get; }
        /// <summary>The source row's RowKey, to find it in the source table.</summary>
        public string SourceRowKey { get; }

        public override string ToString() => Address;
    }
}
