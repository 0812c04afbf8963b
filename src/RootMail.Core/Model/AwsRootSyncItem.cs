namespace RootMail
{
    /// <summary>What Sync-AwsRootRegistry found to differ between the registry and Exchange.</summary>
    public enum SyncKind
    {
        /// <summary>An address in the pool's domain is on a pool mailbox in Exchange but not in the registry.</summary>
        MissingInRegistry,
        /// <summary>The registry has the alias on a mailbox, Exchange does not.</summary>
        MissingInExchange,
        /// <summary>A Reserved alias older than the threshold: a hand-out or provisioning that did not finish.</summary>
        UnfinishedReservation,
        /// <summary>A retired alias whose address removal (-RemoveAddress) did not finish.</summary>
        UnfinishedRemoval,
        /// <summary>The mailbox's usage counter differs from the aliases recorded on it.</summary>
        UsageMismatch,
        /// <summary>A pool mailbox that Exchange no longer has.</summary>
        MailboxMissingInExchange,
        /// <summary>An index row disagrees with its alias: the availability entry, the account binding or the requester entry.</summary>
        IndexMismatch,
        /// <summary>The address is recorded on another mailbox or pool than the one Exchange has it on.</summary>
        AddressConflict,
    }

    public enum SyncOutcome
    {
        /// <summary>Reported only (no -Repair).</summary>
        Found,
        Repaired,
        /// <summary>Not repaired: it cannot be fixed safely, or -WhatIf/-Confirm declined it; Detail says why.</summary>
        NotRepaired,
        /// <summary>The repair was tried and failed; Detail says why.</summary>
        Failed,
    }

    /// <summary>One difference between the registry and Exchange.</summary>
    public sealed class AwsRootSyncItem
    {
        public AwsRootSyncItem(SyncKind kind, string? address, string mailbox, string action, SyncOutcome outcome, string? detail, string pool)
        {
            Kind = kind;
            Address = address;
            Mailbox = mailbox;
            Action = action;
            Outcome = outcome;
            Detail = detail;
            Pool = pool;
        }

        public SyncKind Kind { get; }
        public string? Address { get; }
        public string Mailbox { get; }
        /// <summary>What -Repair does (or would do) about it.</summary>
        public string Action { get; }
        public SyncOutcome Outcome { get; }
        public string? Detail { get; }
        public string Pool { get; }
    }
}
