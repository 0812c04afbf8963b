namespace RootMail
{
    /// <summary>The life of a root alias. <see cref="Retired"/> is final: a retired address is never handed out again.</summary>
    public enum AliasStatus
    {
        /// <summary>Written to the registry, not yet confirmed on its mailbox in Exchange: an unfinished write that is never handed out.</summary>
        Reserved = 0,
        /// <summary>On a mailbox in Exchange, not handed out yet (pre-provisioned).</summary>
        Available = 1,
        /// <summary>Handed to a requester; no AWS account bound yet.</summary>
        Assigned = 2,
        /// <summary>Bound to exactly one AWS account ID.</summary>
        Registered = 3,
        /// <summary>Withdrawn or its account closed; never handed out again.</summary>
        Retired = 4,
    }
}
